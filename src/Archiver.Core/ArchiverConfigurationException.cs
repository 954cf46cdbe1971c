namespace Archiver;

/// <summary>A configuration value is missing or invalid; the message names the key.</summary>
public sealed class ArchiverConfigurationException(string message, Exception? innerException = null)
    : ArchiverException(message, innerException);
