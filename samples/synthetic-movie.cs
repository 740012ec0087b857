#:property PublishAot=false
#:project ../src/CellVision.IO/CellVision.IO.csproj

// CellVision sample: a synthetic 3D+t movie of nuclei with its exact truth, written as OME-Zarr, BigDataViewer
// (XML + HDF5) and Zarr through MovieFiles, then read back and compared voxel for voxel.
// Run from the repository root: dotnet run samples/synthetic-movie.cs [output folder]
using System.Diagnostics;
using System.Globalization;
using CellVision.Core.Synthetic;
using CellVision.Core.Volumes;
using CellVision.IO.Movies;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var keep = args.Length > 0;
var folder = keep ? Path.GetFullPath(args[0]) : Path.Combine(Path.GetTempPath(), $"cellvision-synthetic-movie-{Environment.ProcessId}");
Directory.CreateDirectory(folder);

// 1. The movie: nuclei that drift, jitter, divide and enter the field of view; the same seed gives the same movie.
var clock = Stopwatch.StartNew();
using var movie = SyntheticTimeLapse.Generate(new SyntheticTimeLapseOptions { Timepoints = 6, Seed = 7 });
var first = movie.Images[0];
var truth = movie.Truth;
Console.WriteLine($"movie: {movie.Images.Count} timepoints of {first.Depth}×{first.Height}×{first.Width} voxels, voxel size {first.VoxelSize.X}×{first.VoxelSize.Y}×{first.VoxelSize.Z} µm, made in {clock.ElapsedMilliseconds} ms");
Console.WriteLine($"truth: {truth.SpotCount} nuclei, {truth.LinkCount} links, {truth.Spots.Count(s => s.Outgoing.Count > 1)} divisions, {movie.Tracklets.Count} tracklets");
Console.WriteLine($"nuclei per timepoint: {string.Join(" ", truth.Timepoints.Select(t => truth.SpotsAt(t).Count))}");
Console.WriteLine($"voxels inside nuclei at t=0: {movie.Masks[0].Span.ToArray().Count(v => v != 0)} of {first.Length}");

// 2. Write it in three formats and read each back. An OME-Zarr image holds one timepoint; BDV and Zarr hold them all.
var frames = movie.Images;
(string Name, string Path, MovieFormat Format, IReadOnlyList<Volume<ushort>> Frames)[] targets =
[
    ("OME-Zarr", Path.Combine(folder, "ome", "t0.ome.zarr"), MovieFormat.OmeZarr, [frames[0]]),
    ("BigDataViewer", Path.Combine(folder, "bdv", "movie.xml"), MovieFormat.Bdv, frames),
    ("Zarr", Path.Combine(folder, "zarr", "movie.zarr"), MovieFormat.Zarr, frames),
];
foreach (var (name, path, format, written) in targets)
{
    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
    clock.Restart();
    MovieFiles.Write(path, format, written, CancellationToken.None);
    var writeMs = clock.ElapsedMilliseconds;
    clock.Restart();
    var read = MovieFiles.Read(path, MovieFiles.Guess(path, forWriting: false), CancellationToken.None);
    var readMs = clock.ElapsedMilliseconds;
    var identical = read.Count == written.Count && read.Zip(written).All(p => p.First.Span.SequenceEqual(p.Second.Span) && p.First.VoxelSize == p.Second.VoxelSize);
    var bytes = Directory.EnumerateFiles(Path.GetDirectoryName(path)!, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
    Console.WriteLine($"{name,-14} {read.Count} frame(s), {bytes / 1024.0,8:F1} KiB on disk, written in {writeMs,4} ms, read in {readMs,4} ms, identical: {identical}");
    read.ForEach(f => f.Dispose());
    if (!identical)
    {
        throw new InvalidOperationException($"{name}: the frames read back differ from those written.");
    }
}

if (keep)
{
    Console.WriteLine($"files kept in {folder}");
}
else
{
    Directory.Delete(folder, recursive: true);
}
