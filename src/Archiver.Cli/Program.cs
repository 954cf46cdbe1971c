using Archiver.Cli;

return await CliApplication.RunAsync(args).ConfigureAwait(false);
