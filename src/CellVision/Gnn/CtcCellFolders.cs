using System.Globalization;
using System.Text.RegularExpressions;
using CellVision.Core.Volumes;
using CellVision.IO.Ctc;
using CellVision.IO.Movies;
using CellVision.Tracking;

namespace CellVision;

/// <summary>
/// Cell Tracking Challenge folders as the GNN tracker needs them: per frame, the cells of an instance-label image with
/// their hand-crafted features (and ground-truth track ids), measured on the raw frame of the same number.
/// </summary>
internal static partial class CtcCellFolders
{
    /// <summary>The label images of a folder (<c>maskNNN.tif</c>, <c>man_trackNNN.tif</c> or <c>man_segNNN.tif</c>) by frame number.</summary>
    internal static SortedDictionary<int, string> LabelFiles(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"'{folder}' does not exist.");
        }

        var files = new SortedDictionary<int, string>();
        foreach (var path in Directory.EnumerateFiles(folder, "*.tif"))
        {
            var match = LabelFileName().Match(Path.GetFileName(path));
            if (match.Success && !files.TryAdd(int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture), path))
            {
                throw new ArgumentException($"'{folder}' holds two label images of frame {match.Groups[2].Value}.");
            }
        }

        return files.Count > 0 ? files : throw new FileNotFoundException($"'{folder}' holds no label image (maskNNN.tif, man_trackNNN.tif or man_segNNN.tif).", folder);
    }

    /// <summary>
    /// Measures the cells of every frame in <paramref name="frames"/> (all with a label image when null); frame numbers
    /// become 0, 1, … in that order. With <paramref name="crops"/>, each frame's cells are also cut out of the raw frame
    /// for the metric-learning patches.
    /// </summary>
    /// <returns>The frame numbers used and, per frame, the cells.</returns>
    internal static (IReadOnlyList<int> Numbers, List<IReadOnlyList<CellFeatures>> Cells) Measure(
        string imagesFolder, string masksFolder, string? markersFolder, (int First, int Last)? frames, CancellationToken cancellationToken, CellCropSequence? crops = null)
    {
        var masks = LabelFiles(masksFolder);
        var markers = markersFolder is null ? null : LabelFiles(markersFolder);
        var numbers = masks.Keys.Where(n => frames is not { } range || (n >= range.First && n <= range.Last)).ToList();
        if (numbers.Count == 0)
        {
            throw new ArgumentException($"'{masksFolder}' holds no label image in frames {frames}.");
        }

        var cells = new List<IReadOnlyList<CellFeatures>>();
        for (var index = 0; index < numbers.Count; index++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var number = numbers[index];
            var rawPath = Path.Combine(imagesFolder, CtcSequence.FileName("t", number, numbers[^1] + 1));
            if (!File.Exists(rawPath))
            {
                rawPath = Path.Combine(imagesFolder, string.Create(CultureInfo.InvariantCulture, $"t{number:D4}.tif"));
            }

            if (!File.Exists(rawPath))
            {
                throw new FileNotFoundException($"The raw frame of '{masks[number]}' is missing: no t{number:D3}.tif in '{imagesFolder}'.", rawPath);
            }

            using var raw = MovieFiles.Read(rawPath, MovieFormat.Tiff, cancellationToken)[0];
            using var mask = Labels(masks[number]);
            RequireShape(raw, mask, rawPath, masks[number]);
            if (markers is null)
            {
                cells.Add(CellFeatureExtractor.Extract(raw, mask, index));
                crops?.Add(raw, mask, cells[^1]);
                continue;
            }

            if (!markers.TryGetValue(number, out var markerPath))
            {
                throw new FileNotFoundException($"The ground-truth markers of frame {number} are missing in '{markersFolder}'.");
            }

            using var marker = Labels(markerPath);
            RequireShape(raw, marker, rawPath, markerPath);
            cells.Add(CellFeatureExtractor.ExtractWithTrackIds(raw, mask, marker, index));
            crops?.Add(raw, mask, cells[^1]);
        }

        return (numbers, cells);
    }

    /// <summary>
    /// Writes a Cell Tracking Challenge result folder: every label image repainted with its cells' track labels
    /// (<c>maskNNN.tif</c>, uint16) and <c>res_track.txt</c>. Written beside the target and renamed, so a failure leaves
    /// nothing half-written.
    /// </summary>
    internal static void WriteResult(DecodedTracks tracks, string masksFolder, IReadOnlyList<int> numbers, IReadOnlyList<IReadOnlyList<CellFeatures>> cells, string resultFolder)
    {
        if (tracks.Tracks.Count > ushort.MaxValue)
        {
            throw new InvalidOperationException($"{tracks.Tracks.Count} tracks do not fit the 16-bit labels of a CTC result.");
        }

        // Node order is frame, then label (CandidateGraphBuilder's), as NodeLabels is.
        var labelOf = new Dictionary<(int Frame, uint Label), int>();
        var node = 0;
        foreach (var cell in cells.SelectMany(f => f.OrderBy(c => c.Label)))
        {
            labelOf[(cell.Frame, cell.Label)] = tracks.NodeLabels[node++];
        }

        var masks = LabelFiles(masksFolder);
        var full = Path.GetFullPath(resultFolder);
        var staging = full.TrimEnd(Path.DirectorySeparatorChar) + ".partial-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }

        Directory.CreateDirectory(staging);
        try
        {
            var frameCount = numbers[^1] + 1;
            for (var index = 0; index < numbers.Count; index++)
            {
                using var mask = Labels(masks[numbers[index]]);
                using var painted = new Volume<ushort>(mask.Depth, mask.Height, mask.Width, mask.VoxelSize);
                var source = mask.Span;
                var target = painted.Span;
                for (var i = 0; i < source.Length; i++)
                {
                    target[i] = source[i] != 0 && labelOf.TryGetValue((index, source[i]), out var label) ? (ushort)label : (ushort)0;
                }

                CtcSequence.WriteFrame(staging, "mask", numbers[index], frameCount, painted);
            }

            CtcTrackFile.Write(Path.Combine(staging, "res_track.txt"),
                tracks.Tracks.Select(t => new CtcTrack(t.Label, numbers[t.Begin], numbers[t.End], t.Parent)));
            if (Directory.Exists(full))
            {
                Directory.Delete(full, recursive: true);
            }

            Directory.Move(staging, full);
        }
        catch
        {
            Directory.Delete(staging, recursive: true);
            throw;
        }
    }

    /// <summary>A label image as 32-bit labels (8-, 16- and 32-bit files alike).</summary>
    private static Volume<uint> Labels(string path)
    {
        using var frame = LabelFrame.Read(path);
        var labels = new Volume<uint>(frame.Depth, frame.Height, frame.Width);
        var target = labels.Span;
        switch (frame.Volume)
        {
            case Volume<byte> bytes:
                for (var i = 0; i < target.Length; i++)
                {
                    target[i] = bytes.Span[i];
                }

                break;
            case Volume<ushort> words:
                for (var i = 0; i < target.Length; i++)
                {
                    target[i] = words.Span[i];
                }

                break;
            case Volume<uint> wide:
                wide.Span.CopyTo(target);
                break;
        }

        return labels;
    }

    private static void RequireShape<TRaw, TLabel>(Volume<TRaw> raw, Volume<TLabel> labels, string rawPath, string labelPath)
        where TRaw : unmanaged
        where TLabel : unmanaged
    {
        if ((raw.Depth, raw.Height, raw.Width) != (labels.Depth, labels.Height, labels.Width))
        {
            throw new ArgumentException($"'{labelPath}' is {labels.Width}×{labels.Height}×{labels.Depth} but its raw frame '{rawPath}' is {raw.Width}×{raw.Height}×{raw.Depth}.");
        }
    }

    [GeneratedRegex(@"^(mask|man_track|man_seg)(\d{3,4})\.tif$")]
    private static partial Regex LabelFileName();
}
