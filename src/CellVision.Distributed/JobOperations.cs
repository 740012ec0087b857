using System.Collections.Concurrent;
using CellVision.Distributed.Operations;

namespace CellVision.Distributed;

/// <summary>The operations that plans can name: the built-in ones and any a program registers (in every worker process too).</summary>
public static class JobOperations
{
    private static readonly ConcurrentDictionary<string, IJobOperation> Registered = new(StringComparer.Ordinal)
    {
        [IncasemClaheOperation.OperationName] = new IncasemClaheOperation(),
        [TiffSequenceToZarrOperation.OperationName] = new TiffSequenceToZarrOperation(),
        [NucleusDetectionOperation.OperationName] = new NucleusDetectionOperation(),
        [SemanticPredictionOperation.OperationName] = new SemanticPredictionOperation(),
    };

    /// <summary>The names of the known operations.</summary>
    public static IReadOnlyCollection<string> Names => [.. Registered.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Makes <paramref name="operation"/> available under its name (replacing one of the same name).</summary>
    /// <param name="operation">The operation.</param>
    public static void Register(IJobOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        Registered[operation.Name] = operation;
    }

    /// <summary>The operation called <paramref name="name"/>.</summary>
    /// <param name="name">Its name.</param>
    /// <exception cref="JobPlanException">No operation has that name.</exception>
    public static IJobOperation Get(string name) =>
        Registered.TryGetValue(name, out var operation)
            ? operation
            : throw new JobPlanException($"Unknown operation '{name}'; known: {string.Join(", ", Names)}.");
}
