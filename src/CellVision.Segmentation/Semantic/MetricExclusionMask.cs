using System.Numerics;
using CellVision.Core.Volumes;

namespace CellVision.Segmentation;

/// <summary>
/// incasem's metric mask (<c>60_create_metric_mask.py</c>): 255 where a voxel counts in the scores, 0 in a band
/// around object boundaries, exactly <c>255 · ¬(binary_dilation(b, iterations=OuterWidth) ∧
/// ¬binary_erosion(b, iterations=InnerWidth))</c> with scipy's 6-connected cross and the outside of the volume counted
/// as background. Computed from taxicab distance transforms in linear time, whole or block by block.
/// </summary>
/// <example>
/// <code>
/// using Volume&lt;byte&gt; mask = MetricExclusionMask.Compute(labels, new MetricExclusionMaskOptions { InnerWidth = 2, OuterWidth = 2, ClassId = 3 });
/// </code>
/// </example>
public static class MetricExclusionMask
{
    /// <summary>The value of voxels that count in the scores.</summary>
    public const byte Counted = 255;

    /// <summary>The value of voxels in the excluded band.</summary>
    public const byte Excluded = 0;

    /// <summary>The metric mask of a whole label volume.</summary>
    /// <typeparam name="T">The label type.</typeparam>
    /// <param name="labels">Z, Y, X labels; the object is every nonzero voxel, or the voxels equal to <see cref="MetricExclusionMaskOptions.ClassId"/>.</param>
    /// <param name="options">Band widths; null for the reference's 4 and 4.</param>
    /// <param name="cancellationToken">Stops between passes.</param>
    /// <returns>A new uint8 volume of <see cref="Counted"/> and <see cref="Excluded"/> with the labels' shape, voxel size and origin.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static Volume<byte> Compute<T>(Volume<T> labels, MetricExclusionMaskOptions? options = null, CancellationToken cancellationToken = default)
        where T : unmanaged, IBinaryInteger<T>
    {
        ArgumentNullException.ThrowIfNull(labels);
        options ??= new MetricExclusionMaskOptions();
        options.Validate();
        var mask = new Volume<byte>(labels.Depth, labels.Height, labels.Width, labels.VoxelSize, labels.Origin);
        try
        {
            Band(labels.Span, mask.Span, (labels.Depth, labels.Height, labels.Width), options, TaxicabDistance.Faces.All, cancellationToken);
            return mask;
        }
        catch
        {
            mask.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The metric mask of a chunked label volume, written block by block into <paramref name="output"/>; each block is
    /// read with <c>max(InnerWidth, OuterWidth)</c> voxels of context, so memory stays bounded and the result equals
    /// <see cref="Compute{T}(Volume{T}, MetricExclusionMaskOptions?, CancellationToken)"/> on the whole volume.
    /// </summary>
    /// <typeparam name="T">The labels' element type.</typeparam>
    /// <param name="labels">A three-dimensional Z, Y, X label array.</param>
    /// <param name="output">A uint8 array of the same shape.</param>
    /// <param name="options">Band widths and block shape; null for the reference's.</param>
    /// <param name="progress">Receives the fraction of blocks done, or null.</param>
    /// <param name="cancellationToken">Stops between blocks; blocks written so far stay written.</param>
    /// <exception cref="ArgumentException">The arrays are not three-dimensional, their shapes differ, or the output's elements are not single bytes.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static void ComputeChunked<T>(IChunkedVolume labels, IChunkedVolume output, MetricExclusionMaskOptions? options = null, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
        where T : unmanaged, IBinaryInteger<T>
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(output);
        options ??= new MetricExclusionMaskOptions();
        options.Validate();
        if (labels.Rank != 3)
        {
            throw new ArgumentException($"The labels must be a Z, Y, X array; this one has {labels.Rank} dimensions.", nameof(labels));
        }

        if (!output.Shape.SequenceEqual(labels.Shape) || output.ElementSize != 1)
        {
            throw new ArgumentException($"The output must be a uint8 array of the labels' shape [{string.Join(", ", labels.Shape)}]; it has shape [{string.Join(", ", output.Shape)}] and {output.ElementSize}-byte elements.", nameof(output));
        }

        long[] shape = [.. labels.Shape];
        long[] block = [options.BlockShape.Z, options.BlockShape.Y, options.BlockShape.X];
        var context = Math.Max(options.InnerWidth, options.OuterWidth);
        var counts = new long[3];
        for (var axis = 0; axis < 3; axis++)
        {
            counts[axis] = (shape[axis] + block[axis] - 1) / block[axis];
        }

        var total = counts[0] * counts[1] * counts[2];
        var done = 0L;
        for (var bz = 0L; bz < counts[0]; bz++)
        {
            for (var by = 0L; by < counts[1]; by++)
            {
                for (var bx = 0L; bx < counts[2]; bx++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var write = new Box([bz * block[0], by * block[1], bx * block[2]], block).ClipTo(shape);
                    WriteBlock<T>(labels, output, write, context, options, cancellationToken);
                    progress?.Report(++done / (double)total);
                }
            }
        }
    }

    private static void WriteBlock<T>(IChunkedVolume labels, IChunkedVolume output, Box write, int context, MetricExclusionMaskOptions options, CancellationToken cancellationToken)
        where T : unmanaged, IBinaryInteger<T>
    {
        var shape = labels.Shape;
        var readStart = new long[3];
        var readSize = new long[3];
        for (var axis = 0; axis < 3; axis++)
        {
            readStart[axis] = Math.Max(0, write.Start[axis] - context);
            readSize[axis] = Math.Min(shape[axis], write.Start[axis] + write.Size[axis] + context) - readStart[axis];
        }

        var read = new Box(readStart, readSize);
        var extent = checked(((int)readSize[0], (int)readSize[1], (int)readSize[2]));
        var values = new T[read.ElementCount];
        labels.Read<T>(read, values, cancellationToken: cancellationToken);
        var band = new byte[values.Length];

        // Only the faces on the volume's own border have background outside; a face cut inside the volume sees the
        // context voxels, which reach as far as any distance that matters.
        var borders = new TaxicabDistance.Faces(
            readStart[0] == 0, readStart[0] + readSize[0] == shape[0],
            readStart[1] == 0, readStart[1] + readSize[1] == shape[1],
            readStart[2] == 0, readStart[2] + readSize[2] == shape[2]);
        Band<T>(values, band, extent, options, borders, cancellationToken);

        var inner = new byte[write.ElementCount];
        var (depth, height, width) = ((int)write.Size[0], (int)write.Size[1], (int)write.Size[2]);
        var (oz, oy, ox) = ((int)(write.Start[0] - readStart[0]), (int)(write.Start[1] - readStart[1]), (int)(write.Start[2] - readStart[2]));
        for (var z = 0; z < depth; z++)
        {
            for (var y = 0; y < height; y++)
            {
                band.AsSpan(((((z + oz) * extent.Item2) + y + oy) * extent.Item3) + ox, width).CopyTo(inner.AsSpan(((z * height) + y) * width, width));
            }
        }

        output.Write<byte>(write, inner, cancellationToken: cancellationToken);
    }

    /// <summary>Writes the mask of one block of labels into <paramref name="mask"/>; <paramref name="borders"/> are the faces with the volume's outside beyond them.</summary>
    private static void Band<T>(ReadOnlySpan<T> labels, Span<byte> mask, (int Depth, int Height, int Width) shape, MetricExclusionMaskOptions options, TaxicabDistance.Faces borders, CancellationToken cancellationToken)
        where T : unmanaged, IBinaryInteger<T>
    {
        var isObject = new bool[labels.Length];
        if (options.ClassId is { } classId)
        {
            var target = long.CreateTruncating(classId);
            var fits = T.CreateTruncating(classId) is var candidate && long.CreateTruncating(candidate) == target;
            for (var i = 0; i < labels.Length; i++)
            {
                isObject[i] = fits && labels[i] == candidate;
            }
        }
        else
        {
            for (var i = 0; i < labels.Length; i++)
            {
                isObject[i] = labels[i] != T.Zero;
            }
        }

        var cap = (byte)(Math.Max(options.InnerWidth, options.OuterWidth) + 1);

        // Distance of every voxel to the object (for the dilation) and to the background (for the erosion, whose
        // outside counts as background).
        var toObject = new byte[labels.Length];
        var toBackground = mask;
        for (var i = 0; i < isObject.Length; i++)
        {
            toObject[i] = isObject[i] ? (byte)0 : cap;
            toBackground[i] = isObject[i] ? cap : (byte)0;
        }

        TaxicabDistance.Transform(toObject, shape, cap, TaxicabDistance.Faces.None, !options.WithinSections);
        cancellationToken.ThrowIfCancellationRequested();
        TaxicabDistance.Transform(toBackground, shape, cap, borders, !options.WithinSections);
        cancellationToken.ThrowIfCancellationRequested();
        for (var i = 0; i < isObject.Length; i++)
        {
            var excluded = isObject[i] ? toBackground[i] <= options.InnerWidth : toObject[i] <= options.OuterWidth;
            mask[i] = excluded ? Excluded : Counted;
        }
    }
}
