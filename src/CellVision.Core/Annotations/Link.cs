namespace CellVision.Core.Annotations;

/// <summary>A directed link from a spot to a spot at a later timepoint (its successor or, at a division, a daughter).</summary>
public sealed class Link
{
    private Dictionary<string, string>? tags;

    internal Link(int id, Spot source, Spot target)
    {
        Id = id;
        Source = source;
        Target = target;
    }

    /// <summary>The identifier, unique within the graph and never reused.</summary>
    public int Id { get; }

    /// <summary>The earlier spot (the parent).</summary>
    public Spot Source { get; }

    /// <summary>The later spot (the child).</summary>
    public Spot Target { get; }

    /// <summary>The tracking tag; approved links are never removed by automatic linking.</summary>
    public TrackingTag TrackingTag { get; set; }

    /// <summary>Named tag sets and the tag this link carries in each.</summary>
    public IDictionary<string, string> Tags => tags ??= new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Whether the link carries any tag-set tag (without creating the dictionary).</summary>
    public bool HasTags => tags is { Count: > 0 };

    /// <summary>The squared length of the link in physical units.</summary>
    public double SquaredLength => Source.SquaredDistanceTo(Target);

    /// <inheritdoc />
    public override string ToString() => $"Link {Id} ({Source.Id}@{Source.Timepoint} → {Target.Id}@{Target.Timepoint})";
}
