using System.Globalization;
using System.Runtime.InteropServices;
using CellVision.Core.Volumes;
using CellVision.IO.Hdf5;

namespace CellVision.IO.Bdv;

/// <summary>
/// Writes unsigned 16-bit time-lapse volumes as a BigDataViewer dataset (XML + HDF5) that BDV, Mastodon, ELEPHANT and
/// h5py open: setup 0, one view per timepoint, mipmap levels averaged 2×2(×2), <c>resolutions</c> (float64) and
/// <c>subdivisions</c> (int32) in X, Y, Z order, voxels stored in the legacy signed-16-bit form that every BDV version reads.
/// Files are written under temporary names and renamed.
/// </summary>
public static class BdvWriter
{
    /// <summary>Writes <paramref name="timepoints"/> (all of the same shape) as timepoints 0, 1, ….</summary>
    /// <param name="xmlPath">The XML file; the HDF5 file gets the same name with ".h5".</param>
    /// <param name="timepoints">One volume per timepoint; their voxel size goes to the XML.</param>
    /// <param name="options">Levels, chunks, compression, partitioning; null for defaults.</param>
    /// <param name="progress">Receives the fraction of timepoints written, or null.</param>
    /// <param name="cancellationToken">Stops between timepoints; nothing is left behind then.</param>
    public static void Write(string xmlPath, IReadOnlyList<Volume<ushort>> timepoints, BdvWriteOptions? options = null, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(xmlPath);
        ArgumentNullException.ThrowIfNull(timepoints);
        if (timepoints.Count == 0 || timepoints.Any(v => v.Depth != timepoints[0].Depth || v.Height != timepoints[0].Height || v.Width != timepoints[0].Width))
        {
            throw new ArgumentException("At least one volume is needed, and all must have the same shape.", nameof(timepoints));
        }

        options ??= new BdvWriteOptions();
        var first = timepoints[0];
        var resolutions = ProposeLevels(first, options.Levels);
        var chunk = options.ChunkSize;
        var folder = Path.GetDirectoryName(Path.GetFullPath(xmlPath))!;
        var name = Path.GetFileNameWithoutExtension(xmlPath);
        var h5Name = name + ".h5";
        var written = new List<(string Temporary, string Final)>();
        try
        {
            var partitions = new List<BdvPartition>();
            var masterTemporary = Path.Combine(folder, $".{h5Name}.{Guid.NewGuid():N}.partial");
            written.Add((masterTemporary, Path.Combine(folder, h5Name)));
            using (var master = Hdf5File.Create(masterTemporary))
            {
                WriteSetupTables(master, resolutions, chunk);
                for (var t = 0; t < timepoints.Count; t++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (options.Partitioned)
                    {
                        var partName = string.Create(CultureInfo.InvariantCulture, $"{name}-{t:D2}-00.h5");
                        var partTemporary = Path.Combine(folder, $".{partName}.{Guid.NewGuid():N}.partial");
                        written.Add((partTemporary, Path.Combine(folder, partName)));
                        using (var part = Hdf5File.Create(partTemporary))
                        {
                            WriteSetupTables(part, resolutions, chunk);
                            WriteView(part, t, timepoints[t], resolutions, chunk, options.DeflateLevel);
                        }

                        for (var level = 0; level < resolutions.Count; level++)
                        {
                            var cells = BdvImage.CellsPath(t, 0, level);
                            master.CreateExternalLink(cells, partName, cells);
                        }

                        partitions.Add(new BdvPartition(partName, [t], [0]));
                    }
                    else
                    {
                        WriteView(master, t, timepoints[t], resolutions, chunk, options.DeflateLevel);
                    }

                    progress?.Report((double)(t + 1) / timepoints.Count);
                }
            }

            foreach (var (temporary, final) in written)
            {
                File.Move(temporary, final, overwrite: true);
            }

            var voxel = first.VoxelSize;
            new BdvXml
            {
                BaseFolder = folder,
                Hdf5File = h5Name,
                Partitions = partitions,
                ViewSetups = [new BdvViewSetup(0, "channel 1", [first.Width, first.Height, first.Depth], options.Unit, [voxel.X, voxel.Y, voxel.Z], new Dictionary<string, int> { ["channel"] = 1 })],
                AttributeEntities = new Dictionary<string, IReadOnlyList<(int Id, string Name)>> { ["channel"] = [(1, "1")] },
                Timepoints = Enumerable.Range(0, timepoints.Count).ToList(),
                ViewRegistrations = Enumerable.Range(0, timepoints.Count).Select(t => new BdvViewRegistration(t, 0, [[voxel.X, 0, 0, 0, 0, voxel.Y, 0, 0, 0, 0, voxel.Z, 0]])).ToList(),
            }.Save(xmlPath);
        }
        catch
        {
            foreach (var (temporary, _) in written)
            {
                File.Delete(temporary);
            }

            throw;
        }
    }

    /// <summary>Downsampling factors (X, Y, Z) per level: XY halve each level; Z halves once its voxels are no longer coarser than XY's.</summary>
    internal static List<double[]> ProposeLevels(Volume<ushort> volume, int? levels)
    {
        var result = new List<double[]> { new double[] { 1, 1, 1 } };
        var size = volume.VoxelSize;
        while (levels is { } wanted ? result.Count < wanted : Math.Min(volume.Width, volume.Height) / result[^1][0] >= 128)
        {
            var previous = result[^1];
            var xy = previous[0] * 2;
            var z = size.Z * previous[2] * 2 <= size.X * xy * 1.5 && volume.Depth / (previous[2] * 2) >= 1 ? previous[2] * 2 : previous[2];
            if (volume.Width / xy < 1 || volume.Height / xy < 1)
            {
                break;
            }

            result.Add([xy, xy, z]);
        }

        return result;
    }

    private static void WriteSetupTables(Hdf5File file, List<double[]> resolutions, int[] chunk)
    {
        file.Write<double>("/s00/resolutions", resolutions.SelectMany(r => r).ToArray(), [resolutions.Count, 3]);
        file.Write<int>("/s00/subdivisions", resolutions.SelectMany(_ => chunk).ToArray(), [resolutions.Count, 3]);
    }

    private static void WriteView(Hdf5File file, int timepoint, Volume<ushort> volume, List<double[]> resolutions, int[] chunk, int deflateLevel)
    {
        long[] chunkZyx = [chunk[2], chunk[1], chunk[0]];
        for (var level = 0; level < resolutions.Count; level++)
        {
            using var levelVolume = level == 0 ? null : Downsample(volume, resolutions[level]);
            var source = levelVolume ?? volume;
            var samples = MemoryMarshal.Cast<ushort, short>(source.Span);
            file.Write<short>(BdvImage.CellsPath(timepoint, 0, level), samples, source.Shape, chunkZyx, deflateLevel);
        }
    }

    /// <summary>Averages blocks of factor X × Y × Z voxels (rounding to nearest); level size = max(1, floor(size / factor)).</summary>
    internal static Volume<ushort> Downsample(Volume<ushort> source, double[] factors)
    {
        var (fx, fy, fz) = ((int)factors[0], (int)factors[1], (int)factors[2]);
        var result = new Volume<ushort>(Math.Max(1, source.Depth / fz), Math.Max(1, source.Height / fy), Math.Max(1, source.Width / fx));
        Parallel.For(0, result.Depth, z =>
        {
            for (var y = 0; y < result.Height; y++)
            {
                var row = result.Row(z, y);
                for (var x = 0; x < result.Width; x++)
                {
                    long sum = 0;
                    var count = 0;
                    for (var dz = 0; dz < fz && (z * fz) + dz < source.Depth; dz++)
                    for (var dy = 0; dy < fy && (y * fy) + dy < source.Height; dy++)
                    {
                        var sourceRow = source.Row((z * fz) + dz, (y * fy) + dy);
                        for (var dx = 0; dx < fx && (x * fx) + dx < source.Width; dx++)
                        {
                            sum += sourceRow[(x * fx) + dx];
                            count++;
                        }
                    }

                    row[x] = (ushort)((sum + (count / 2)) / count);
                }
            }
        });
        return result;
    }
}
