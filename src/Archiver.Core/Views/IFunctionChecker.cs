namespace Archiver.Views;

/// <summary>Compiles JavaScript functions without running them, so that a broken one is refused before anything is uploaded.</summary>
public interface IFunctionChecker
{
    /// <summary>The problems found, none when every function compiles to a function.</summary>
    Task<IReadOnlyList<FunctionProblem>> CheckAsync(IReadOnlyList<FunctionSource> functions, CancellationToken cancellationToken = default);
}
