using CellVision.Core.Annotations;
using CellVision.Core.Geometry;
using CellVision.Core.Volumes;

namespace CellVision.Detection;

/// <summary>Options of <see cref="LabelGenerator"/>, with ELEPHANT's defaults.</summary>
public sealed record LabelOptions
{
    /// <summary>Radius ratio of the nucleus centre to the whole ellipsoid (ELEPHANT's client default 0.4).</summary>
    public double CentreRatio { get; init; } = 0.4;

    /// <summary>Voxels whose normalised intensity is below this become true background (0 disables; ELEPHANT's paper uses 1).</summary>
    public double AutoBackgroundThreshold { get; init; }

    /// <summary>Smallest number of voxels of a rasterised ellipsoid (ELEPHANT: 9).</summary>
    public int MinimumVoxels { get; init; } = 9;
}

/// <summary>
/// ELEPHANT's detection labels for one timepoint: 0 ignored, 1–3 true background/border/centre, 4–6 the same with
/// heavy ("false") weight. Ellipsoids are rasterised in physical units; background never overwrites border or centre,
/// and borders never overwrite centres (§2 of ELEPHANT's label generation).
/// </summary>
public static class LabelGenerator
{
    /// <summary>Generates the label volume of one timepoint.</summary>
    /// <param name="shape">(D, H, W) of the frame.</param>
    /// <param name="voxelSize">Physical voxel size.</param>
    /// <param name="spots">Annotations, applied in order.</param>
    /// <param name="options">Centre ratio, auto background threshold, minimum voxels; null for ELEPHANT's defaults.</param>
    /// <param name="normalisedFrame">The frame normalised to [0, 1], needed when an auto background threshold is set.</param>
    public static Volume<byte> Generate((int Depth, int Height, int Width) shape, VoxelSize voxelSize, IEnumerable<AnnotatedSpot> spots, LabelOptions? options = null, Volume<float>? normalisedFrame = null)
    {
        ArgumentNullException.ThrowIfNull(spots);
        options ??= new LabelOptions();
        var label = new Volume<byte>(shape.Depth, shape.Height, shape.Width, voxelSize);
        if (options.AutoBackgroundThreshold > 0)
        {
            if (normalisedFrame is null || normalisedFrame.Length != label.Length)
            {
                throw new ArgumentException("An auto background threshold needs the normalised frame of the same shape.", nameof(normalisedFrame));
            }

            for (var i = 0; i < label.Length; i++)
            {
                if (normalisedFrame.Span[i] < options.AutoBackgroundThreshold)
                {
                    label.Span[i] = 1;
                }
            }
        }

        double[] scales = [voxelSize.Z, voxelSize.Y, voxelSize.X];
        int[] dims = [shape.Depth, shape.Height, shape.Width];
        var labelled = spots.Where(s => s.Tag != DetectionTag.Unlabeled).ToArray();
        foreach (var spot in labelled)
        {
            if (spot.Covariance is not { Length: 9 } || !double.IsFinite(spot.X) || !double.IsFinite(spot.Y) || !double.IsFinite(spot.Z) || !spot.Covariance.All(double.IsFinite))
            {
                throw new ArgumentException($"Spot at ({spot.X}, {spot.Y}, {spot.Z}) needs a finite centre and a finite 3×3 covariance.", nameof(spots));
            }
        }

        var rasters = new (List<int> Outer, List<int>? Inner)[labelled.Length];
        Parallel.For(0, labelled.Length, n => rasters[n] = RasteriseSpot(labelled[n], scales, dims, options));
        for (var n = 0; n < labelled.Length; n++)
        {
            var spot = labelled[n];
            var (outer, inner) = rasters[n];
            var offset = spot.Tag is DetectionTag.TruePositive or DetectionTag.TrueBorder or DetectionTag.TrueNegative ? 0 : 3;
            var span = label.Span;
            switch (spot.Tag)
            {
                case DetectionTag.TruePositive or DetectionTag.FalseNegative:
                    foreach (var index in outer)
                    {
                        if (KeepsCentre(span[index]))
                        {
                            span[index] = (byte)(2 + offset);
                        }
                    }

                    foreach (var index in Dilate(inner!, dims))
                    {
                        span[index] = (byte)(2 + offset);
                    }

                    foreach (var index in inner!)
                    {
                        span[index] = (byte)(3 + offset);
                    }

                    break;
                case DetectionTag.TrueBorder or DetectionTag.FalseBorder:
                    foreach (var index in outer)
                    {
                        if (KeepsCentre(span[index]))
                        {
                            span[index] = (byte)(2 + offset);
                        }
                    }

                    break;
                default:
                    foreach (var index in outer)
                    {
                        if ((byte)(span[index] - 1) % 3 == 0)
                        {
                            span[index] = (byte)(1 + offset);
                        }
                    }

                    break;
            }
        }

        return label;
    }

    /// <summary>The voxels of a spot's ellipsoid and, for nuclei (tp/fn), of its centre; independent of other spots.</summary>
    private static (List<int> Outer, List<int>? Inner) RasteriseSpot(AnnotatedSpot spot, double[] scales, int[] dims, LabelOptions options)
    {
        double[] centre = [spot.Z, spot.Y, spot.X];
        var covariance = new double[9];
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                covariance[(i * 3) + j] = spot.Covariance[((2 - i) * 3) + (2 - j)];
            }
        }

        var (eigenvalues, rotation) = SymmetricEigen.Decompose(covariance);
        var radii = eigenvalues.Select(v => Math.Sqrt(Math.Max(v, 0))).ToArray();
        var outer = Ellipsoid.Rasterise(centre, radii, rotation, scales, dims, options.MinimumVoxels);
        var inner = spot.Tag is DetectionTag.TruePositive or DetectionTag.FalseNegative
            ? Ellipsoid.Rasterise(centre, radii.Select(r => r * options.CentreRatio).ToArray(), rotation, scales, dims, options.MinimumVoxels)
            : null;
        return (outer, inner);
    }

    /// <summary>ELEPHANT's <c>((label − 1) mod 3) ≤ 1</c> on uint8 (0 wraps to 255): true for empty, background and border.</summary>
    private static bool KeepsCentre(byte value) => (byte)(value - 1) % 3 <= 1;

    /// <summary>The 3×3×3 dilation of <paramref name="voxels"/>, clipped to the volume.</summary>
    private static HashSet<int> Dilate(IReadOnlyList<int> voxels, int[] dims)
    {
        var result = new HashSet<int>();
        var plane = dims[1] * dims[2];
        foreach (var index in voxels)
        {
            var (z, y, x) = (index / plane, index / dims[2] % dims[1], index % dims[2]);
            for (var dz = -1; dz <= 1; dz++)
            for (var dy = -1; dy <= 1; dy++)
            for (var dx = -1; dx <= 1; dx++)
            {
                var (nz, ny, nx) = (z + dz, y + dy, x + dx);
                if (nz >= 0 && nz < dims[0] && ny >= 0 && ny < dims[1] && nx >= 0 && nx < dims[2])
                {
                    result.Add((((nz * dims[1]) + ny) * dims[2]) + nx);
                }
            }
        }

        return result;
    }
}
