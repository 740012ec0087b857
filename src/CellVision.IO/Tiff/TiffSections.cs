using System.Globalization;
using System.Text.RegularExpressions;

namespace CellVision.IO.Tiff;

/// <summary>
/// A Z stack of 2-D sections read one at a time: a folder of single-page TIFF files, one per section, or one
/// multi-page TIFF file, one page per section. A folder follows incasem's <c>image_sequence_to_zarr.py</c>: the files
/// named <c>…_N….tif</c> (or <c>.tiff</c>) are the sections, and their numbers N must form a contiguous range; they are
/// stacked in the order of N (incasem sorts the names as strings, which is the same order for zero-padded numbers).
/// </summary>
public sealed partial class TiffSections : IDisposable
{
    private readonly TiffFile? multiPage;

    private TiffSections(string source, IReadOnlyList<string> files, TiffFile? multiPage, TiffPage first, int depth)
    {
        Source = source;
        Files = files;
        this.multiPage = multiPage;
        Depth = depth;
        Height = first.Height;
        Width = first.Width;
        SampleFormat = first.SampleFormat;
        BytesPerSample = first.BytesPerSample;
    }

    /// <summary>The folder or file the stack was opened from.</summary>
    public string Source { get; }

    /// <summary>The files of the sections in Z order (one file for a multi-page TIFF).</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>The number of sections.</summary>
    public int Depth { get; }

    /// <summary>The rows of every section.</summary>
    public int Height { get; }

    /// <summary>The columns of every section.</summary>
    public int Width { get; }

    /// <summary>Whether the samples are unsigned, signed or floating point.</summary>
    public TiffSampleFormat SampleFormat { get; }

    /// <summary>Bytes per sample.</summary>
    public int BytesPerSample { get; }

    /// <summary>The stack's extent, Z, Y, X.</summary>
    public long[] Shape => [Depth, Height, Width];

    /// <summary>Opens a folder of section files or a multi-page TIFF file, checking that every section has the first one's size and sample type.</summary>
    /// <param name="path">A folder of <c>…_N….tif</c> files, or a TIFF file.</param>
    /// <returns>The stack; dispose it.</returns>
    /// <exception cref="FileNotFoundException">Nothing exists at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The folder holds no section files, or their numbers repeat or leave a gap.</exception>
    /// <exception cref="TiffFormatException">A file is not a readable TIFF, or a section differs from the first in size or sample type.</exception>
    public static TiffSections Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
        {
            var files = FindSections(path);
            using var first = TiffFile.Open(files[0]);
            var page = first.Pages[0];
            foreach (var file in files.Skip(1))
            {
                using var tiff = TiffFile.Open(file);
                Check(tiff.Pages[0], page, file, files[0]);
            }

            return new TiffSections(path, files, null, page, files.Count);
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"'{path}' does not exist; give a folder of TIFF sections or a multi-page TIFF file.", path);
        }

        var stack = TiffFile.Open(path);
        try
        {
            foreach (var other in stack.Pages.Skip(1))
            {
                Check(other, stack.Pages[0], $"{path}, page {other.Index}", $"{path}, page 0");
            }

            return new TiffSections(path, [path], stack, stack.Pages[0], stack.Pages.Count);
        }
        catch
        {
            stack.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The section files of <paramref name="folder"/> by incasem's rule: names matching <c>.*_(\d+).*\.tif</c> (or
    /// <c>.tiff</c>), ordered by the number, which must run without gaps or repeats; other files are ignored.
    /// </summary>
    /// <param name="folder">The folder.</param>
    /// <returns>The files in Z order.</returns>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">No file matches, or the numbers repeat or leave a gap.</exception>
    public static IReadOnlyList<string> FindSections(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"'{folder}' does not exist.");
        }

        var numbered = new List<(long Number, string Path)>();
        foreach (var file in Directory.EnumerateFiles(folder))
        {
            var match = SectionName().Match(Path.GetFileName(file));
            if (match.Success)
            {
                numbered.Add((long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), file));
            }
        }

        if (numbered.Count == 0)
        {
            throw new InvalidDataException($"'{folder}' holds no section files: their names must end in _N.tif (N the section number, e.g. section_0000.tif).");
        }

        numbered.Sort((a, b) => a.Number != b.Number ? a.Number.CompareTo(b.Number) : string.CompareOrdinal(a.Path, b.Path));
        for (var i = 1; i < numbered.Count; i++)
        {
            if (numbered[i].Number != numbered[i - 1].Number + 1)
            {
                var problem = numbered[i].Number == numbered[i - 1].Number ? $"two files are section {numbered[i].Number} ('{Path.GetFileName(numbered[i - 1].Path)}' and '{Path.GetFileName(numbered[i].Path)}')" : $"sections {numbered[i - 1].Number + 1}–{numbered[i].Number - 1} are missing";
                throw new InvalidDataException($"The sections of '{folder}' must be numbered without gaps or repeats, but {problem}.");
            }
        }

        return [.. numbered.Select(n => n.Path)];
    }

    /// <summary>Reads section <paramref name="z"/> as little-endian sample bytes, rows top to bottom.</summary>
    /// <param name="z">The section, 0 … <see cref="Depth"/> − 1.</param>
    /// <param name="destination">Exactly <see cref="Height"/> × <see cref="Width"/> × <see cref="BytesPerSample"/> bytes.</param>
    /// <exception cref="TiffFormatException">The section's file changed since the stack was opened or cannot be decoded.</exception>
    public void ReadSection(int z, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(z);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(z, Depth);
        if (multiPage is not null)
        {
            multiPage.ReadPageBytes(z, destination);
            return;
        }

        using var tiff = TiffFile.Open(Files[z]);
        var page = tiff.Pages[0];
        if (page.Width != Width || page.Height != Height || page.BytesPerSample != BytesPerSample || page.SampleFormat != SampleFormat)
        {
            throw new TiffFormatException(Files[z], "size", $"is now {page.Height}×{page.Width} {page.BitsPerSample}-bit {page.SampleFormat}; it was {Height}×{Width} {BytesPerSample * 8}-bit {SampleFormat} when the stack was opened.");
        }

        tiff.ReadPageBytes(0, destination);
    }

    /// <inheritdoc />
    public void Dispose() => multiPage?.Dispose();

    private static void Check(TiffPage page, TiffPage first, string where, string firstWhere)
    {
        if (page.Width != first.Width || page.Height != first.Height || page.BitsPerSample != first.BitsPerSample || page.SampleFormat != first.SampleFormat)
        {
            throw new TiffFormatException(where, "size", $"is {page.Height}×{page.Width} {page.BitsPerSample}-bit {page.SampleFormat}, unlike the first section ({first.Height}×{first.Width} {first.BitsPerSample}-bit {first.SampleFormat}, {firstWhere}).");
        }
    }

    [GeneratedRegex(@"^.*_(\d+).*\.tiff?$", RegexOptions.CultureInvariant)]
    private static partial Regex SectionName();
}
