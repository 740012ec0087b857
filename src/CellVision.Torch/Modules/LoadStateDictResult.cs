namespace CellVision.Torch;

/// <summary>What <see cref="Module.LoadStateDict"/> could not match, as PyTorch's <c>_IncompatibleKeys</c>.</summary>
/// <param name="MissingKeys">Entries the module has but the state dict lacks.</param>
/// <param name="UnexpectedKeys">Entries the state dict has but the module lacks.</param>
public sealed record LoadStateDictResult(IReadOnlyList<string> MissingKeys, IReadOnlyList<string> UnexpectedKeys)
{
    /// <summary>Whether every entry matched.</summary>
    public bool IsExactMatch => MissingKeys.Count == 0 && UnexpectedKeys.Count == 0;
}
