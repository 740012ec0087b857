namespace CellVision.Torch;

/// <summary>Thrown by <see cref="Module.LoadStateDict"/> when keys are missing or unexpected (strict mode) or shapes differ.</summary>
public class StateDictMismatchException : TorchException
{
    /// <summary>Creates an exception with a generic message.</summary>
    public StateDictMismatchException() : base("The state dict does not match the module.")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">What did not match.</param>
    public StateDictMismatchException(string message) : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and cause.</summary>
    /// <param name="message">What did not match.</param>
    /// <param name="innerException">The cause.</param>
    public StateDictMismatchException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates an exception listing every mismatch.</summary>
    /// <param name="missingKeys">Entries the module has but the state dict lacks.</param>
    /// <param name="unexpectedKeys">Entries the state dict has but the module lacks.</param>
    /// <param name="shapeMismatches">Entries whose shapes differ, described.</param>
    public StateDictMismatchException(IReadOnlyList<string> missingKeys, IReadOnlyList<string> unexpectedKeys, IReadOnlyList<string> shapeMismatches)
        : base(Describe(missingKeys, unexpectedKeys, shapeMismatches))
    {
        MissingKeys = missingKeys;
        UnexpectedKeys = unexpectedKeys;
        ShapeMismatches = shapeMismatches;
    }

    /// <summary>Entries the module has but the state dict lacks.</summary>
    public IReadOnlyList<string> MissingKeys { get; } = [];

    /// <summary>Entries the state dict has but the module lacks.</summary>
    public IReadOnlyList<string> UnexpectedKeys { get; } = [];

    /// <summary>Entries whose shapes differ, each as "name: module [..] vs state dict [..]".</summary>
    public IReadOnlyList<string> ShapeMismatches { get; } = [];

    private static string Describe(IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<string> shapes)
    {
        var parts = new List<string>();
        if (missing.Count > 0) parts.Add($"missing keys: {string.Join(", ", missing)}");
        if (unexpected.Count > 0) parts.Add($"unexpected keys: {string.Join(", ", unexpected)}");
        if (shapes.Count > 0) parts.Add($"shape mismatches: {string.Join("; ", shapes)}");
        return "Error(s) loading the state dict: " + string.Join(". ", parts) + ".";
    }
}
