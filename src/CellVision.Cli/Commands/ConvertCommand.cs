using Spectre.Console;
using System.CommandLine;
using CellVision.IO.Movies;
using CellVision.Distributed.Operations;

namespace CellVision.Cli.Commands;

/// <summary><c>cellvision convert INPUT OUTPUT</c>: between TIFF, TIFF sequences, BDV, Zarr, OME-Zarr and CTC folders.</summary>
internal static class ConvertCommand
{
    internal static Command Create(CommandContext context)
    {
        var input = new Argument<string>("INPUT") { Description = "Image file or folder to read" };
        var output = new Argument<string>("OUTPUT") { Description = "File or folder to write (must not exist)" };
        var inputFormat = FormatOption("--input-format", "Format of INPUT [default: from its name or content]");
        var format = FormatOption("--format", "Format of OUTPUT [default: from its name]");
        var timepointsPerTask = new Option<int>("--timepoints-per-task") { Description = "Timepoints per task with --engine", DefaultValueFactory = _ => 1 };
        var engine = new EngineOptions();
        var command = new Command("convert", "Convert a 3D or 3D+t image between TIFF, TIFF sequence, BigDataViewer XML/HDF5, Zarr, OME-Zarr and CTC folders (8- and 16-bit data)")
        {
            input, output, inputFormat, format, timepointsPerTask,
        };
        engine.AddTo(command);
        command.SetAction(result => context.Guard(() =>
        {
            var source = result.GetValue(input)!;
            var target = result.GetValue(output)!;
            if (File.Exists(target) || Directory.Exists(target))
            {
                return context.Fail($"'{target}' already exists; choose a new name so that nothing is overwritten.");
            }

            var readAs = result.GetValue(inputFormat) ?? MovieFiles.Guess(source, forWriting: false);
            var writeAs = result.GetValue(format) ?? MovieFiles.Guess(target, forWriting: true);
            if (engine.Requested(result))
            {
                return readAs == MovieFormat.TiffSequence && writeAs == MovieFormat.Zarr
                    ? engine.Run(TiffSequenceToZarrOperation.CreatePlan(source, target, result.GetValue(timepointsPerTask)), result, context)
                    : context.Fail("--engine and --workers convert a tiff-sequence (one stack per timepoint) into zarr, one task per timepoint range.");
            }

            var frames = MovieFiles.Read(source, readAs, context.CancellationToken);
            try
            {
                MovieFiles.Write(target, writeAs, frames, context.CancellationToken);
            }
            finally
            {
                frames.ForEach(f => f.Dispose());
            }

            var first = frames[0];
            context.Console.WriteLine($"{readAs} → {writeAs}: {frames.Count} timepoint(s) of {first.Depth}×{first.Height}×{first.Width} voxels written to {target}");
            return 0;
        }));
        return command;
    }

    internal static Option<MovieFormat?> FormatOption(string name, string description) => new(name)
    {
        Description = description + ": tiff, tiff-sequence, bdv, zarr, ome-zarr or ctc",
        CustomParser = parsed =>
        {
            var text = parsed.Tokens.Single().Value;
            MovieFormat? value = text.ToLowerInvariant() switch
            {
                "tiff" or "tif" => MovieFormat.Tiff,
                "tiff-sequence" => MovieFormat.TiffSequence,
                "bdv" => MovieFormat.Bdv,
                "zarr" => MovieFormat.Zarr,
                "ome-zarr" => MovieFormat.OmeZarr,
                "ctc" => MovieFormat.Ctc,
                _ => null,
            };
            if (value is null)
            {
                parsed.AddError($"'{text}' is not a format: use tiff, tiff-sequence, bdv, zarr, ome-zarr or ctc.");
            }

            return value;
        },
    };
}
