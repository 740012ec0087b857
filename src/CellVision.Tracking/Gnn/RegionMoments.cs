using CellVision.Core.Annotations;
using CellVision.Core.Geometry;

namespace CellVision.Tracking;

/// <summary>
/// What one pass over a frame gathers for one label: voxel count, exact integer sums of coordinates and their products,
/// bounding box, intensity range and sum, and the overlap with each track marker.
/// </summary>
/// <remarks>
/// Voxels arrive as runs along X, so the coordinate sums of a run are closed forms. Second-order sums are 128-bit so
/// that the central moments n·Σab − Σa·Σb come out exact for any volume a <c>Volume&lt;T&gt;</c> can hold.
/// </remarks>
internal sealed class RegionMoments(uint label)
{
    private long sumZ, sumY, sumX;
    private Int128 sumZZ, sumYY, sumXX, sumZY, sumZX, sumYX;
    private int minZ = int.MaxValue, minY = int.MaxValue, minX = int.MaxValue;
    private int maxZ = int.MinValue, maxY = int.MinValue, maxX = int.MinValue;
    private double minIntensity = double.PositiveInfinity, maxIntensity = double.NegativeInfinity, sumIntensity;
    private Dictionary<uint, long>? markers;

    public uint Label { get; } = label;

    public long Count { get; private set; }

    /// <summary>Adds the voxels x0 … x0 + n − 1 of row (z, y).</summary>
    public void AddRun(int z, int y, int x0, int n)
    {
        long count = n;
        var sx = (count * x0) + (count * (count - 1) / 2);
        var sxx = ((Int128)count * x0 * x0) + ((Int128)x0 * count * (count - 1)) + ((Int128)(count - 1) * count * ((2 * count) - 1) / 6);
        Count += count;
        sumZ += z * count;
        sumY += y * count;
        sumX += sx;
        sumZZ += (Int128)z * z * count;
        sumYY += (Int128)y * y * count;
        sumXX += sxx;
        sumZY += (Int128)z * y * count;
        sumZX += (Int128)z * sx;
        sumYX += (Int128)y * sx;
        minZ = Math.Min(minZ, z);
        maxZ = Math.Max(maxZ, z);
        minY = Math.Min(minY, y);
        maxY = Math.Max(maxY, y);
        minX = Math.Min(minX, x0);
        maxX = Math.Max(maxX, x0 + n - 1);
    }

    public void AddIntensity(double value)
    {
        sumIntensity += value;
        minIntensity = Math.Min(minIntensity, value);
        maxIntensity = Math.Max(maxIntensity, value);
    }

    public void AddMarker(uint marker, long voxels)
    {
        markers ??= [];
        markers[marker] = markers.GetValueOrDefault(marker) + voxels;
    }

    /// <summary>The marker with the largest overlap (the smallest such label on a tie, as argmax of a bincount), or 0 when none overlaps.</summary>
    public uint DominantMarker()
    {
        uint best = 0;
        long bestCount = 0;
        if (markers is null)
        {
            return 0;
        }

        foreach (var (marker, voxels) in markers)
        {
            if (voxels > bestCount || (voxels == bestCount && marker < best))
            {
                best = marker;
                bestCount = voxels;
            }
        }

        return best;
    }

    public CellFeatures ToFeatures(int frame, int dimensions, uint trackId)
    {
        double n = Count;
        var covariance = new Covariance3(
            Central(sumXX, sumX, sumX), Central(sumYX, sumY, sumX), Central(sumZX, sumZ, sumX),
            Central(sumYY, sumY, sumY), Central(sumZY, sumZ, sumY), Central(sumZZ, sumZ, sumZ));
        var (major, minor) = AxisLengths(covariance, dimensions);
        return new CellFeatures
        {
            Frame = frame,
            Label = Label,
            TrackId = trackId,
            Dimensions = dimensions,
            Area = Count,
            BoundingBoxMin = (minZ, minY, minX),
            BoundingBoxMax = (maxZ + 1, maxY + 1, maxX + 1),
            Centroid = (sumZ / n, sumY / n, sumX / n),
            Covariance = covariance,
            MajorAxisLength = major,
            MinorAxisLength = minor,
            MaxIntensity = maxIntensity,
            MeanIntensity = sumIntensity / n,
            MinIntensity = minIntensity,
        };
    }

    /// <summary>
    /// The axis lengths of scikit-image 0.19 from the covariance C = μ₂/μ₀. Its inertia tensor is T = tr(C)·I − C in
    /// 3-D (and has C's eigenvalues in 2-D), so 4·√ev₀ = 4·√c_max, √(10·(ev₀ + ev₁ − ev₂)) = √(20·c_max) and
    /// √(10·(−ev₀ + ev₁ + ev₂)) = √(20·c_min). Working from C avoids the cancellation in the 3-D minor axis, which for a
    /// region in a single plane makes the reference return rounding noise or raise a math-domain error; here it is 0.
    /// </summary>
    internal static (double Major, double Minor) AxisLengths(Covariance3 c, int dimensions)
    {
        double smallest, largest;
        if (dimensions == 2)
        {
            var mean = (c.XX + c.YY) / 2;
            var radius = double.Hypot((c.XX - c.YY) / 2, c.XY);
            (smallest, largest) = (mean - radius, mean + radius);
        }
        else
        {
            var values = SymmetricEigen.Decompose(c.ToRowMajor()).Values;
            (smallest, largest) = (values[0], values[2]);
        }

        // Eigenvalues of a covariance are ≥ 0; rounding may leave them a hair below, which the reference clips too.
        smallest = Math.Max(smallest, 0);
        largest = Math.Max(largest, 0);
        return dimensions == 2
            ? (4 * Math.Sqrt(largest), 4 * Math.Sqrt(smallest))
            : (Math.Sqrt(20 * largest), Math.Sqrt(20 * smallest));
    }

    /// <summary>(n·Σab − Σa·Σb) / n², exact up to the final rounding.</summary>
    private double Central(Int128 sumAB, long sumA, long sumB)
    {
        var numerator = ((Int128)Count * sumAB) - ((Int128)sumA * sumB);
        return (double)numerator / Count / Count;
    }
}
