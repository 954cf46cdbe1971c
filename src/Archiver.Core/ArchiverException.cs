namespace Archiver;

/// <summary>
/// Root of the exceptions Archiver raises on purpose. Infrastructure errors (MySQL, HTTP) are
/// translated into a subclass where they enter, so callers can print <see cref="Exception.Message"/>
/// as a one-line reason that names what failed and where.
/// </summary>
public class ArchiverException : Exception
{
    public ArchiverException(string message)
        : base(message)
    {
    }

    public ArchiverException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>True when the same operation may succeed if tried again later (a server down or overloaded).</summary>
    public virtual bool IsTransient => false;
}
