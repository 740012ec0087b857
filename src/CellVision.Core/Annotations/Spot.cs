namespace CellVision.Core.Annotations;

/// <summary>
/// A nucleus at one timepoint: an ellipsoid with its centre and covariance in physical units (X, Y, Z), its
/// detection tag, quality and any number of named tag sets (e.g. "Division" → "dividing"). Spots belong to one
/// <see cref="LineageGraph"/>, which gives them their <see cref="Id"/> and keeps their links.
/// </summary>
public sealed class Spot
{
    private Dictionary<string, string>? tags;

    internal Spot(int id, int timepoint, double x, double y, double z, Covariance3 covariance)
    {
        Id = id;
        Timepoint = timepoint;
        X = x;
        Y = y;
        Z = z;
        Covariance = covariance;
    }

    /// <summary>The identifier, unique within the graph and never reused.</summary>
    public int Id { get; }

    /// <summary>The timepoint (frame index, from 0).</summary>
    public int Timepoint { get; }

    /// <summary>Centre X in physical units.</summary>
    public double X { get; set; }

    /// <summary>Centre Y in physical units.</summary>
    public double Y { get; set; }

    /// <summary>Centre Z in physical units.</summary>
    public double Z { get; set; }

    /// <summary>The ellipsoid's covariance (physical units squared).</summary>
    public Covariance3 Covariance { get; set; }

    /// <summary>The detection tag; <see cref="DetectionTag.Unlabeled"/> for spots nobody has checked.</summary>
    public DetectionTag DetectionTag { get; set; }

    /// <summary>The tracking tag of the spot.</summary>
    public TrackingTag TrackingTag { get; set; }

    /// <summary>The detection quality (mean centre probability for predicted spots; 1 for manual ones).</summary>
    public double Quality { get; set; } = 1;

    /// <summary>An optional label shown by viewers.</summary>
    public string? Label { get; set; }

    /// <summary>Named tag sets and the tag this spot carries in each.</summary>
    public IDictionary<string, string> Tags => tags ??= new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Whether the spot carries any tag-set tag (without creating the dictionary).</summary>
    public bool HasTags => tags is { Count: > 0 };

    /// <summary>Links arriving from earlier timepoints.</summary>
    public IReadOnlyList<Link> Incoming => IncomingLinks;

    /// <summary>Links leaving to later timepoints (two or more at a division).</summary>
    public IReadOnlyList<Link> Outgoing => OutgoingLinks;

    internal List<Link> IncomingLinks { get; } = new(1);

    internal List<Link> OutgoingLinks { get; } = new(2);

    /// <summary>The squared Euclidean distance to a point in physical units.</summary>
    /// <param name="x">X.</param>
    /// <param name="y">Y.</param>
    /// <param name="z">Z.</param>
    public double SquaredDistanceTo(double x, double y, double z)
    {
        double dx = X - x, dy = Y - y, dz = Z - z;
        return dx * dx + dy * dy + dz * dz;
    }

    /// <summary>The squared Euclidean distance between the centres of two spots.</summary>
    /// <param name="other">The other spot.</param>
    public double SquaredDistanceTo(Spot other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return SquaredDistanceTo(other.X, other.Y, other.Z);
    }

    /// <inheritdoc />
    public override string ToString() => $"Spot {Id} (t={Timepoint}, x={X:G6}, y={Y:G6}, z={Z:G6})";
}
