using CellVision.Core.Volumes;

namespace CellVision.Distributed;

/// <summary>One unit of a job: a block of the output (a box) or a range of timepoints. Tasks of one plan never overlap.</summary>
public sealed record JobTask
{
    /// <summary>The block this task writes, in output voxels (Z, Y, X or the output's own rank); null for a timepoint task.</summary>
    public Box? Block { get; init; }

    /// <summary>The first timepoint of a timepoint task (0 for a block task).</summary>
    public int FirstTimepoint { get; init; }

    /// <summary>How many timepoints a timepoint task covers; 0 for a block task.</summary>
    public int TimepointCount { get; init; }

    /// <summary>Whether this task is a block (else a timepoint range).</summary>
    public bool IsBlock => Block is not null;

    /// <summary>A task that writes one block.</summary>
    /// <param name="block">The block, in output voxels.</param>
    public static JobTask ForBlock(Box block) => new() { Block = block };

    /// <summary>A task that handles timepoints <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/> − 1.</summary>
    /// <param name="first">The first timepoint.</param>
    /// <param name="count">How many timepoints (at least 1).</param>
    public static JobTask ForTimepoints(int first, int count) => new() { FirstTimepoint = first, TimepointCount = count };

    /// <inheritdoc/>
    public override string ToString() => Block is { } block ? block.ToString() : $"timepoints {FirstTimepoint}..{FirstTimepoint + TimepointCount - 1}";
}
