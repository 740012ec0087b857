using System.CommandLine;

namespace CellVision.Benchmarks.Commands;

/// <summary><c>scale-out</c>: <see cref="ScaleOut"/>.</summary>
internal static class ScaleOutCommand
{
    internal static Command Create()
    {
        var edge = new Option<int>("--edge") { Description = "Edge of the cubic uint8 volume in voxels (1024: 1 GiB)", DefaultValueFactory = _ => 1024 };
        var blocks = new Option<int>("--blocks-per-task") { Description = "128³ write blocks per task along each axis", DefaultValueFactory = _ => 1 };
        var workers = new Option<string>("--workers") { Description = "Local worker counts to measure, comma-separated", DefaultValueFactory = _ => "1,2,4" };
        var slurm = new Option<int>("--slurm-slots") { Description = "Slurm task slots of the cluster in SLURM_CONF (0: skip Slurm)", DefaultValueFactory = _ => 0 };
        var folder = new Option<string>("--folder") { Description = "Where the volume and the outputs go", DefaultValueFactory = _ => Path.Combine(Path.GetTempPath(), "cellvision_scale_out") };
        var command = new Command("scale-out", "incasem CLAHE of a large Zarr volume: library call against 1, 2, 4 local workers and a Slurm job array (throughput, per-task overhead, ratio)")
        {
            edge, blocks, workers, slurm, folder,
        };
        command.SetAction(result => ScaleOut.Run(
            result.GetValue(edge),
            result.GetValue(blocks),
            [.. result.GetValue(workers)!.Split(',').Select(w => int.Parse(w, System.Globalization.CultureInfo.InvariantCulture))],
            result.GetValue(slurm),
            result.GetValue(folder)!));
        return command;
    }
}
