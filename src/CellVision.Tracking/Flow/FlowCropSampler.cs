using CellVision.Core.Volumes;

namespace CellVision.Tracking;

/// <summary>Where and how one training crop is taken: source centre (voxels z, y, x), zoom per axis, XY rotation, flips.</summary>
/// <param name="Centre">Source position (z, y, x) that the crop's centre shows.</param>
/// <param name="Zoom">Output voxels per source voxel (z, y, x): crop size / source extent.</param>
/// <param name="Degrees">Rotation in XY; the content turns counter-clockwise as displayed (Y down), as scikit-image's rotate.</param>
/// <param name="Flip">Whether each axis (z, y, x) is mirrored.</param>
internal readonly record struct CropGeometry(double[] Centre, double[] Zoom, int Degrees, bool[] Flip);

/// <summary>
/// Draws ELEPHANT's flow training crops (<c>FlowDatasetZarr</c>): a pool voxel b (a target centroid, or any labelled voxel
/// when there are none) is drawn uniformly, the source extent s per axis (scale augmentation) and the origin uniformly
/// from [max(0, b − (s − 1)), min(size − s, b)] so the extent contains b; the extent is rotated about its centre by an
/// integer angle and resampled to the crop (frames trilinear, labels nearest; outside the frame 0), the flow vectors are
/// zoomed and rotated with it, and each axis is flipped with probability ½ (negating that component). Crops without a
/// labelled voxel are redrawn.
/// </summary>
internal sealed class FlowCropSampler
{
    private const int MaximumAttempts = 1000;
    private readonly FlowTrainingPair pair;
    private readonly (int Z, int Y, int X)[] pool;
    private readonly int[] size;
    private readonly int[] crop;
    private readonly double[] scaleFactors;
    private readonly int rotation;

    internal FlowCropSampler(FlowTrainingPair pair, (int Depth, int Height, int Width) cropSize, double scaleAugmentation, int rotationAngle)
    {
        this.pair = pair;
        var label = pair.Label;
        size = [label.Depth, label.Height, label.Width];
        crop = [Math.Min(cropSize.Depth, label.Depth), Math.Min(cropSize.Height, label.Height), Math.Min(cropSize.Width, label.Width)];
        Crop = (crop[0], crop[1], crop[2]);
        var voxel = pair.Current.VoxelSize;
        double[] scales = [voxel.Z, voxel.Y, voxel.X];
        scaleFactors = [.. scales.Select(s => scaleAugmentation * scales.Min() / s)];
        rotation = rotationAngle;
        if (label.Centroids.Count > 0)
        {
            pool = [.. label.Centroids];
        }
        else
        {
            var pool = new List<(int, int, int)>();
            var mask = label.Mask.Span;
            for (var i = 0; i < mask.Length; i++)
            {
                if (mask[i] > 0)
                {
                    pool.Add((i / (size[1] * size[2]), i / size[2] % size[1], i % size[2]));
                }
            }

            this.pool = [.. pool];
        }

        HasLabels = pool.Length > 0 && label.HasLabels;
    }

    /// <summary>Crop size after clipping to the frames.</summary>
    internal (int Depth, int Height, int Width) Crop { get; }

    /// <summary>Whether the pair has a labelled voxel.</summary>
    internal bool HasLabels { get; }

    private int CropLength => crop[0] * crop[1] * crop[2];

    /// <summary>Writes one random crop: frames (2 × crop) and labels (4 × crop: dx, dy, dz, mask), C order.</summary>
    /// <exception cref="InvalidOperationException">No labelled voxel was found in many attempts.</exception>
    internal void Draw(Random random, Span<float> input, Span<float> labels)
    {
        for (var attempt = 0; attempt < MaximumAttempts; attempt++)
        {
            var extent = new int[3];
            for (var axis = 0; axis < 3; axis++)
            {
                extent[axis] = crop[axis];
                if (scaleFactors[axis] > 0)
                {
                    // ELEPHANT: randrange(min(size, round(c(1 − f))), min(size + 1, int(c(1 + f)) + 1)), at least one voxel.
                    var low = Math.Max(1, Math.Min(size[axis], (int)Math.Round(crop[axis] * (1 - scaleFactors[axis]), MidpointRounding.ToEven)));
                    var high = Math.Min(size[axis] + 1, (int)(crop[axis] * (1 + scaleFactors[axis])) + 1);
                    extent[axis] = high > low ? random.Next(low, high) : low;
                }
            }

            var degrees = rotation > 0 ? random.Next(-rotation, rotation + 1) : 0;
            var b = pool[random.Next(pool.Length)];
            int[] pivot = [b.Z, b.Y, b.X];
            var centre = new double[3];
            var zoom = new double[3];
            var flip = new bool[3];
            for (var axis = 0; axis < 3; axis++)
            {
                var low = Math.Max(0, pivot[axis] - (extent[axis] - 1));
                var high = Math.Min(size[axis] - extent[axis], pivot[axis]);
                var origin = random.Next(low, Math.Max(low, high) + 1);
                centre[axis] = origin + ((extent[axis] - 1) / 2.0);
                zoom[axis] = crop[axis] / (double)extent[axis];
            }

            for (var axis = 0; axis < 3; axis++)
            {
                flip[axis] = random.Next(2) == 1;
            }

            Render(new CropGeometry(centre, zoom, degrees, flip), input, labels);
            if (labels.Slice(3 * CropLength, CropLength).ContainsAnyExcept(0f))
            {
                return;
            }
        }

        throw new InvalidOperationException($"No crop of {Crop.Depth}×{Crop.Height}×{Crop.Width} around the labelled nuclei held a labelled voxel in {MaximumAttempts} attempts.");
    }

    /// <summary>
    /// Renders the crop of <paramref name="geometry"/>: output voxel o shows source <c>centre + K⁻¹·Mᵀ·(o − (crop − 1)/2)</c>
    /// with K the zoom and M the XY rotation (<c>x' = cos·x + sin·y, y' = −sin·x + cos·y</c>, ELEPHANT's vector rotation);
    /// displacements d become <c>M·K·d</c> (in voxels), then flips mirror axes and negate their components.
    /// </summary>
    internal void Render(CropGeometry geometry, Span<float> input, Span<float> labels)
    {
        var length = CropLength;
        if (input.Length != 2 * length || labels.Length != 4 * length)
        {
            throw new ArgumentException("Destinations must hold 2 and 4 crop-sized channels.", nameof(input));
        }

        var radians = geometry.Degrees * Math.PI / 180;
        var (cos, sin) = geometry.Degrees == 0 ? (1.0, 0.0) : (Math.Cos(radians), Math.Sin(radians));
        var label = pair.Label;
        var norm = label.NormFactor;
        var (cz, cy, cx) = (crop[0], crop[1], crop[2]);
        var (zoomZ, zoomY, zoomX) = (geometry.Zoom[0], geometry.Zoom[1], geometry.Zoom[2]);
        var centre = geometry.Centre;
        var flip = geometry.Flip;
        var current = pair.Current;
        var next = pair.Next;
        var size = this.size;
        var inputArray = new float[2 * length];
        var labelArray = new float[4 * length];
        Parallel.For(0, cz, oz =>
        {
            var z = flip[0] ? cz - 1 - oz : oz;
            for (var oy = 0; oy < cy; oy++)
            {
                var y = flip[1] ? cy - 1 - oy : oy;
                for (var ox = 0; ox < cx; ox++)
                {
                    var x = flip[2] ? cx - 1 - ox : ox;
                    var target = (((oz * cy) + oy) * cx) + ox;
                    // Without rotation and zoom these are exact integers, so the crop copies the voxels unchanged.
                    var (uz, uy, ux) = (z - ((cz - 1) / 2.0), y - ((cy - 1) / 2.0), x - ((cx - 1) / 2.0));
                    var sz = centre[0] + (uz / zoomZ);
                    var sy = centre[1] + (((sin * ux) + (cos * uy)) / zoomY);
                    var sx = centre[2] + (((cos * ux) - (sin * uy)) / zoomX);

                    inputArray[target] = Trilinear(current, size, sz, sy, sx);
                    inputArray[length + target] = Trilinear(next, size, sz, sy, sx);
                    var (iz, iy, ix) = ((int)Math.Floor(sz + 0.5), (int)Math.Floor(sy + 0.5), (int)Math.Floor(sx + 0.5));
                    if (iz < 0 || iz >= size[0] || iy < 0 || iy >= size[1] || ix < 0 || ix >= size[2])
                    {
                        continue;
                    }

                    var source = (((iz * size[1]) + iy) * size[2]) + ix;
                    var mask = label.Mask.Span[source];
                    if (mask == 0)
                    {
                        continue;
                    }

                    // Displacement in source voxels → zoomed → rotated → normalised again (the norm factor may differ per axis).
                    var gx = label.X.Span[source] * norm.X * zoomX;
                    var gy = label.Y.Span[source] * norm.Y * zoomY;
                    var gz = label.Z.Span[source] * norm.Z * zoomZ;
                    var fx = (cos * gx) + (sin * gy);
                    var fy = (-sin * gx) + (cos * gy);
                    labelArray[target] = (float)((flip[2] ? -fx : fx) / norm.X);
                    labelArray[length + target] = (float)((flip[1] ? -fy : fy) / norm.Y);
                    labelArray[(2 * length) + target] = (float)((flip[0] ? -gz : gz) / norm.Z);
                    labelArray[(3 * length) + target] = mask;
                }
            }
        });
        inputArray.CopyTo(input);
        labelArray.CopyTo(labels);
    }

    /// <summary>Trilinear sample; 0 beyond half a voxel outside the volume, the edge value within that half voxel.</summary>
    private static float Trilinear(Volume<float> volume, int[] size, double z, double y, double x)
    {
        if (z < -0.5 || z > size[0] - 0.5 || y < -0.5 || y > size[1] - 0.5 || x < -0.5 || x > size[2] - 0.5)
        {
            return 0;
        }

        z = Math.Clamp(z, 0, size[0] - 1);
        y = Math.Clamp(y, 0, size[1] - 1);
        x = Math.Clamp(x, 0, size[2] - 1);
        var (z0, y0, x0) = ((int)Math.Floor(z), (int)Math.Floor(y), (int)Math.Floor(x));
        var (dz, dy, dx) = (z - z0, y - y0, x - x0);
        var (z1, y1, x1) = (Math.Min(z0 + 1, size[0] - 1), Math.Min(y0 + 1, size[1] - 1), Math.Min(x0 + 1, size[2] - 1));
        ReadOnlySpan<float> span = volume.Span;
        var (h, w) = (size[1], size[2]);
        if (dz == 0 && dy == 0 && dx == 0)
        {
            return span[(((z0 * h) + y0) * w) + x0];
        }

        var c00 = (span[(((z0 * h) + y0) * w) + x0] * (1 - dx)) + (span[(((z0 * h) + y0) * w) + x1] * dx);
        var c01 = (span[(((z0 * h) + y1) * w) + x0] * (1 - dx)) + (span[(((z0 * h) + y1) * w) + x1] * dx);
        var c10 = (span[(((z1 * h) + y0) * w) + x0] * (1 - dx)) + (span[(((z1 * h) + y0) * w) + x1] * dx);
        var c11 = (span[(((z1 * h) + y1) * w) + x0] * (1 - dx)) + (span[(((z1 * h) + y1) * w) + x1] * dx);
        var c0 = (c00 * (1 - dy)) + (c01 * dy);
        var c1 = (c10 * (1 - dy)) + (c11 * dy);
        return (float)((c0 * (1 - dz)) + (c1 * dz));
    }
}
