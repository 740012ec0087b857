using System.Globalization;
using System.Text.RegularExpressions;
using CellVision.Core.Volumes;
using CellVision.IO.Tiff;

namespace CellVision.IO.Ctc;

/// <summary>
/// A folder of per-frame TIFF files in Cell Tracking Challenge naming: <c>t000.tif</c> (raw), <c>man_track000.tif</c>
/// (TRA markers), <c>man_seg000.tif</c> (SEG), <c>mask000.tif</c> (results). Frame numbers have 3 digits, or 4 when
/// the sequence has more than 999 frames. A 3-D frame is a multi-page TIFF, one page per Z plane.
/// </summary>
public sealed partial class CtcSequence
{
    private readonly SortedDictionary<int, string> files;

    private CtcSequence(string folder, string prefix, SortedDictionary<int, string> files, int digits)
    {
        Folder = folder;
        Prefix = prefix;
        this.files = files;
        Digits = digits;
    }

    /// <summary>The folder.</summary>
    public string Folder { get; }

    /// <summary>The file name prefix ("t", "man_track", "man_seg" or "mask").</summary>
    public string Prefix { get; }

    /// <summary>Digits in frame numbers (3 or 4).</summary>
    public int Digits { get; }

    /// <summary>The frame numbers present, ascending.</summary>
    public IReadOnlyCollection<int> Frames => files.Keys;

    /// <summary>The file name of frame <paramref name="frame"/>, as the CTC names it.</summary>
    /// <param name="prefix">"t", "man_track", "man_seg" or "mask".</param>
    /// <param name="frame">Zero-based frame number.</param>
    /// <param name="frameCount">Frames in the sequence (4 digits when more than 999).</param>
    public static string FileName(string prefix, int frame, int frameCount) =>
        string.Create(CultureInfo.InvariantCulture, $"{prefix}{frame.ToString(frameCount > 999 ? "D4" : "D3", CultureInfo.InvariantCulture)}.tif");

    /// <summary>Finds the frames of one kind in <paramref name="folder"/>.</summary>
    /// <param name="folder">For example <c>01_GT/TRA</c>.</param>
    /// <param name="prefix">"t", "man_track", "man_seg" or "mask".</param>
    /// <exception cref="CtcFormatException">No frame is found, or 3- and 4-digit names are mixed.</exception>
    public static CtcSequence Open(string folder, string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        var files = new SortedDictionary<int, string>();
        var digitCounts = new HashSet<int>();
        foreach (var path in Directory.EnumerateFiles(folder, prefix + "*.tif"))
        {
            var match = FramePattern().Match(Path.GetFileName(path)[prefix.Length..]);
            if (!match.Success)
            {
                continue;
            }

            digitCounts.Add(match.Groups[1].Length);
            files[int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)] = path;
        }

        if (files.Count == 0)
        {
            throw new CtcFormatException(folder, prefix + "NNN.tif", "no frame files were found.");
        }

        if (digitCounts.Count > 1)
        {
            throw new CtcFormatException(folder, prefix + "NNN.tif", "frame numbers mix 3 and 4 digits.");
        }

        return new CtcSequence(folder, prefix, files, digitCounts.Single());
    }

    /// <summary>Reads frame <paramref name="frame"/> as a volume (depth 1 for 2-D frames).</summary>
    /// <typeparam name="T">The sample type (ushort for label images).</typeparam>
    /// <param name="frame">The frame number.</param>
    /// <exception cref="FileNotFoundException">The frame is missing.</exception>
    public Volume<T> ReadFrame<T>(int frame)
        where T : unmanaged
    {
        if (!files.TryGetValue(frame, out var path))
        {
            throw new FileNotFoundException($"Frame {frame} ({Prefix}{frame.ToString(new string('0', Digits), CultureInfo.InvariantCulture)}.tif) is missing from {Folder}.");
        }

        using var tiff = TiffFile.Open(path);
        return tiff.ReadStack<T>();
    }

    /// <summary>Writes a label image or raw frame in CTC naming (an ImageJ TIFF, one page per Z plane).</summary>
    /// <typeparam name="T">The sample type (ushort for label images).</typeparam>
    /// <param name="folder">The folder (created if needed).</param>
    /// <param name="prefix">"t", "man_track", "man_seg" or "mask".</param>
    /// <param name="frame">Zero-based frame number.</param>
    /// <param name="frameCount">Frames in the sequence (sets 3 or 4 digits).</param>
    /// <param name="volume">The frame.</param>
    /// <param name="compression">TIFF compression (default LZW, as the CTC ground truth).</param>
    /// <returns>The file written.</returns>
    public static string WriteFrame<T>(string folder, string prefix, int frame, int frameCount, Volume<T> volume, TiffCompression compression = TiffCompression.Lzw)
        where T : unmanaged
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, FileName(prefix, frame, frameCount));
        TiffWriter.Write(path, volume, new TiffWriteOptions { Compression = compression });
        return path;
    }

    [GeneratedRegex(@"^(\d{3,4})\.tif$")]
    private static partial Regex FramePattern();
}
