using CellVision.Core.Volumes;

namespace CellVision.Segmentation;

/// <summary>
/// Reads the region of interest of a data-configuration entry from its arrays, as incasem's data sources do: raw as
/// uint8; each label array binarised (&gt; 0) and merged as <c>Σ binary · class_id</c> with voxels claimed by two or
/// more classes set to 0 (<c>merge_labels.py</c>, strategy "background"); the mask binarised; the metric masks
/// binarised and AND-ed (<c>merge_masks.py</c>). Arrays are placed in the world by funlib's <c>offset</c> attribute.
/// </summary>
public static class SemanticDataLoader
{
    /// <summary>Opens every array of every dataset and checks that it exists, is three-dimensional, has the configuration's voxel size and holds the region of interest.</summary>
    /// <param name="configuration">The configuration.</param>
    /// <param name="open">Opens an array of a container.</param>
    /// <param name="dataDirectory">The directory the containers are relative to; null for <see cref="SemanticDataConfiguration.DefaultDataDirectory"/>.</param>
    /// <exception cref="SemanticDataConfigurationException">An array is missing or does not fit, naming the dataset and the field.</exception>
    public static void Check(SemanticDataConfiguration configuration, SemanticArrayOpener open, string? dataDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(open);
        foreach (var dataset in configuration.Datasets)
        {
            foreach (var (field, path) in Arrays(dataset))
            {
                Locate(configuration, dataset, open, dataDirectory, field, path);
            }
        }
    }

    /// <summary>Reads one dataset's region of interest.</summary>
    /// <param name="configuration">The configuration the dataset belongs to.</param>
    /// <param name="dataset">The entry to read.</param>
    /// <param name="open">Opens an array of a container.</param>
    /// <param name="dataDirectory">The directory the containers are relative to; null for <see cref="SemanticDataConfiguration.DefaultDataDirectory"/>.</param>
    /// <param name="cancellationToken">Stops between arrays and chunks.</param>
    /// <returns>The volumes; dispose them.</returns>
    /// <exception cref="SemanticDataConfigurationException">An array is missing, does not fit or has the wrong element type, naming the dataset and the field.</exception>
    public static SemanticDatasetVolumes Load(SemanticDataConfiguration configuration, SemanticDataset dataset, SemanticArrayOpener open, string? dataDirectory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(open);
        var volumes = new List<Volume<byte>>();
        try
        {
            var raw = Track(volumes, Create(dataset));
            var (rawArray, rawRegion) = Locate(configuration, dataset, open, dataDirectory, "raw", dataset.Raw);
            if (rawArray.ElementSize != 1)
            {
                throw new SemanticDataConfigurationException(configuration.Source, dataset.Name, "raw", $"names '{dataset.Raw}', which holds {rawArray.ElementSize}-byte elements; raw arrays must be uint8.");
            }

            Read(configuration, dataset, "raw", rawArray, rawRegion, raw.Span, cancellationToken);

            var labels = Track(volumes, Create(dataset));
            var claims = new byte[labels.Length];
            foreach (var label in dataset.Labels)
            {
                var binary = ReadBinary(configuration, dataset, open, dataDirectory, "labels", label.Path, cancellationToken);
                var merged = labels.Span;
                for (var i = 0; i < binary.Length; i++)
                {
                    if (binary[i])
                    {
                        merged[i] = (byte)label.ClassId;
                        claims[i] = (byte)Math.Min(claims[i] + 1, 2);
                    }
                }
            }

            var classes = labels.Span;
            for (var i = 0; i < claims.Length; i++)
            {
                if (claims[i] > 1)
                {
                    classes[i] = 0;
                }
            }

            var mask = Track(volumes, Create(dataset));
            if (dataset.Mask is { } maskPath)
            {
                var binary = ReadBinary(configuration, dataset, open, dataDirectory, "mask", maskPath, cancellationToken);
                var values = mask.Span;
                for (var i = 0; i < binary.Length; i++)
                {
                    values[i] = binary[i] ? (byte)1 : (byte)0;
                }
            }
            else
            {
                mask.Span.Fill(1);
            }

            var metricMask = Track(volumes, Create(dataset));
            metricMask.Span.Fill(1);
            foreach (var path in dataset.MetricMasks)
            {
                var binary = ReadBinary(configuration, dataset, open, dataDirectory, "metric_masks", path, cancellationToken);
                var values = metricMask.Span;
                for (var i = 0; i < binary.Length; i++)
                {
                    if (!binary[i])
                    {
                        values[i] = 0;
                    }
                }
            }

            return new SemanticDatasetVolumes(dataset, raw, labels, mask, metricMask);
        }
        catch
        {
            volumes.ForEach(v => v.Dispose());
            throw;
        }
    }

    /// <summary>
    /// Reads one dataset for training: its labels, mask and metric mask over the region of interest, and its raw image
    /// over that region grown by <paramref name="context"/> voxels per side where the raw array has them, as incasem
    /// reads raw with the network's context (<c>data_sources_semantic_with_context.py</c>); beyond the array, training
    /// pads as the reference does.
    /// </summary>
    /// <param name="configuration">The configuration the dataset belongs to.</param>
    /// <param name="dataset">The entry to read.</param>
    /// <param name="open">Opens an array of a container.</param>
    /// <param name="context">Raw voxels to read beyond the region on each side, Z, Y, X (incasem: 47).</param>
    /// <param name="dataDirectory">The directory the containers are relative to; null for the default.</param>
    /// <param name="cancellationToken">Stops between arrays and chunks.</param>
    /// <returns>The training volume; the caller disposes its volumes.</returns>
    /// <exception cref="SemanticDataConfigurationException">An array is missing, does not fit or has the wrong element type.</exception>
    public static SemanticTrainingVolume LoadForTraining(SemanticDataConfiguration configuration, SemanticDataset dataset, SemanticArrayOpener open, (int Z, int Y, int X) context, string? dataDirectory = null, CancellationToken cancellationToken = default)
    {
        var volumes = Load(configuration, dataset, open, dataDirectory, cancellationToken);
        try
        {
            var (array, region) = Locate(configuration, dataset, open, dataDirectory, "raw", dataset.Raw);
            long[] grow = [context.Z, context.Y, context.X];
            var start = new long[3];
            var end = new long[3];
            for (var axis = 0; axis < 3; axis++)
            {
                start[axis] = Math.Max(0, region.Start[axis] - grow[axis]);
                end[axis] = Math.Min(array.Shape[axis], region.Start[axis] + region.Size[axis] + grow[axis]);
            }

            var wide = Box.FromZyx(start[0], start[1], start[2], end[0] - start[0], end[1] - start[1], end[2] - start[2]);
            var raw = new Volume<byte>((int)wide.Size[0], (int)wide.Size[1], (int)wide.Size[2], volumes.Raw.VoxelSize);
            try
            {
                Read(configuration, dataset, "raw", array, wide, raw.Span, cancellationToken);
            }
            catch
            {
                raw.Dispose();
                throw;
            }

            volumes.Raw.Dispose();
            var offset = ((int)(region.Start[0] - start[0]), (int)(region.Start[1] - start[1]), (int)(region.Start[2] - start[2]));
            return new SemanticTrainingVolume(raw, volumes.Labels, offset, volumes.Mask, volumes.MetricMask);
        }
        catch
        {
            volumes.Dispose();
            throw;
        }
    }

    private static IEnumerable<(string Field, string Path)> Arrays(SemanticDataset dataset)
    {
        yield return ("raw", dataset.Raw);
        foreach (var label in dataset.Labels)
        {
            yield return ("labels", label.Path);
        }

        if (dataset.Mask is { } mask)
        {
            yield return ("mask", mask);
        }

        foreach (var path in dataset.MetricMasks)
        {
            yield return ("metric_masks", path);
        }
    }

    private static Volume<byte> Track(List<Volume<byte>> volumes, Volume<byte> volume)
    {
        volumes.Add(volume);
        return volume;
    }

    private static Volume<byte> Create(SemanticDataset dataset)
    {
        var shape = dataset.Shape;
        if (shape[0] * shape[1] * shape[2] > Array.MaxLength)
        {
            throw new ArgumentException($"Dataset '{dataset.Name}' spans {shape[0]}×{shape[1]}×{shape[2]} voxels, more than one volume holds; read it block by block through the arrays.", nameof(dataset));
        }

        // Volume sizes are X, Y, Z in micrometres; the configuration's are Z, Y, X in nanometres.
        var voxelSize = new Core.Geometry.VoxelSize(dataset.VoxelSize[2] / 1000, dataset.VoxelSize[1] / 1000, dataset.VoxelSize[0] / 1000);
        var origin = (dataset.WorldOffset[2] / 1000, dataset.WorldOffset[1] / 1000, dataset.WorldOffset[0] / 1000);
        return new Volume<byte>((int)shape[0], (int)shape[1], (int)shape[2], voxelSize, origin);
    }

    /// <summary>Opens an array and finds the region of interest in its voxel grid.</summary>
    private static (IChunkedVolume Array, Box Region) Locate(SemanticDataConfiguration configuration, SemanticDataset dataset, SemanticArrayOpener open, string? dataDirectory, string field, string path)
    {
        var container = SemanticDataConfiguration.ResolveFile(dataset, dataDirectory);
        SemanticSourceArray source;
        try
        {
            source = open(container, path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new SemanticDataConfigurationException(configuration.Source, dataset.Name, field, $"names '{path}' in '{container}', which cannot be opened: {exception.Message}", exception);
        }

        var array = source.Array;
        if (array.Rank != 3)
        {
            throw new SemanticDataConfigurationException(configuration.Source, dataset.Name, field, $"names '{path}' in '{container}', which has {array.Rank} dimensions; arrays must be Z, Y, X.");
        }

        if (source.Resolution is { } resolution && !resolution.SequenceEqual(dataset.VoxelSize))
        {
            throw new SemanticDataConfigurationException(configuration.Source, dataset.Name, field, $"names '{path}' in '{container}', whose resolution is [{string.Join(", ", resolution)}] nm but voxel_size is [{string.Join(", ", dataset.VoxelSize)}].");
        }

        // funlib rounds an offset that is not a whole number of voxels to the nearest one.
        var start = new long[3];
        for (var axis = 0; axis < 3; axis++)
        {
            var arrayOffset = source.Offset is { } offset ? offset[axis] : 0;
            start[axis] = (long)Math.Round(((dataset.Offset[axis] * dataset.VoxelSize[axis]) - arrayOffset) / dataset.VoxelSize[axis], MidpointRounding.ToEven);
        }

        var region = new Box(start, dataset.Shape.AsSpan());
        if (!Box.FromShape([.. array.Shape]).Contains(region))
        {
            var worldStart = string.Join(", ", Enumerable.Range(0, 3).Select(a => (source.Offset is { } o ? o[a] : 0) / dataset.VoxelSize[a]));
            throw new SemanticDataConfigurationException(configuration.Source, dataset.Name, "offset", $"[{string.Join(", ", dataset.Offset)}] with shape [{string.Join(", ", dataset.Shape)}] reaches outside '{path}' in '{container}', which covers voxels [{worldStart}] + [{string.Join(", ", array.Shape)}] of the world grid.");
        }

        return (array, region);
    }

    private static void Read<T>(SemanticDataConfiguration configuration, SemanticDataset dataset, string field, IChunkedVolume array, Box region, Span<T> destination, CancellationToken cancellationToken)
        where T : unmanaged
    {
        try
        {
            array.Read(region, destination, cancellationToken: cancellationToken);
        }
        catch (ArgumentException exception)
        {
            throw new SemanticDataConfigurationException(configuration.Source, dataset.Name, field, $"names an array whose elements are not {(typeof(T) == typeof(byte) && field == "raw" ? "uint8" : "unsigned integers")}: {exception.Message}", exception);
        }
    }

    /// <summary>Reads an array's region of interest as "value &gt; 0" (for unsigned elements, "value ≠ 0").</summary>
    private static bool[] ReadBinary(SemanticDataConfiguration configuration, SemanticDataset dataset, SemanticArrayOpener open, string? dataDirectory, string field, string path, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var (array, region) = Locate(configuration, dataset, open, dataDirectory, field, path);
        return array.ElementSize switch
        {
            1 => Binary<byte>(configuration, dataset, field, array, region, cancellationToken),
            2 => Binary<ushort>(configuration, dataset, field, array, region, cancellationToken),
            4 => Binary<uint>(configuration, dataset, field, array, region, cancellationToken),
            8 => Binary<ulong>(configuration, dataset, field, array, region, cancellationToken),
            _ => throw new SemanticDataConfigurationException(configuration.Source, dataset.Name, field, $"names '{path}', which holds {array.ElementSize}-byte elements; label and mask arrays hold unsigned integers."),
        };
    }

    private static bool[] Binary<T>(SemanticDataConfiguration configuration, SemanticDataset dataset, string field, IChunkedVolume array, Box region, CancellationToken cancellationToken)
        where T : unmanaged, System.Numerics.IBinaryInteger<T>
    {
        var values = new T[region.ElementCount];
        Read<T>(configuration, dataset, field, array, region, values, cancellationToken);
        var binary = new bool[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            binary[i] = values[i] != T.Zero;
        }

        return binary;
    }
}
