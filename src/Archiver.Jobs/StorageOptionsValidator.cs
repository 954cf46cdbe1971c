using Archiver.Hangfire.MySql;
using Microsoft.Extensions.Options;

namespace Archiver.Jobs;

/// <summary>Runs the storage's own checks at start, so that a bad <c>Hangfire:Storage</c> key stops the worker with its name.</summary>
internal sealed class StorageOptionsValidator : IValidateOptions<MySqlStorageOptions>
{
    public ValidateOptionsResult Validate(string? name, MySqlStorageOptions options) =>
        options.Validate() is { Count: > 0 } errors ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
}
