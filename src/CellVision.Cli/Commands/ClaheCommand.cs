using Spectre.Console;
using System.CommandLine;
using CellVision.IO.Movies;
using CellVision.IO.Zarr;
using CellVision.Core.Volumes;
using CellVision.Segmentation;
using CellVision.Distributed.Operations;

namespace CellVision.Cli.Commands;

/// <summary><c>cellvision clahe INPUT OUTPUT</c>: 3D CLAHE as scikit-image or incasem computes it, every timepoint.</summary>
internal static class ClaheCommand
{
    internal static Command Create(CommandContext context)
    {
        var input = new Argument<string>("INPUT") { Description = "Image file or folder to read (8- or 16-bit)" };
        var output = new Argument<string>("OUTPUT") { Description = "File or folder to write (must not exist)" };
        var clipLimit = new Option<double>("--clip-limit") { Description = "Clip limit, a fraction of the voxels of a tile, in [0, 1]", DefaultValueFactory = _ => 0.02 };
        var kernelSize = new Option<int?>("--kernel-size") { Description = "Tile edge in voxels [default: 1/8 of each dimension (skimage), 128 (incasem)]" };
        var bins = new Option<int>("--nbins") { Description = "Histogram bins", DefaultValueFactory = _ => 256 };
        var variant = new Option<string>("--variant") { Description = "skimage (equalize_adapthist, output scaled to uint16) or incasem (uint8 EM, 128³ blocks with 64 voxels of context, uint8 output)", DefaultValueFactory = _ => "skimage" };
        variant.AcceptOnlyFromAmong("skimage", "incasem");
        var format = ConvertCommand.FormatOption("--format", "Format of OUTPUT [default: from its name]");
        var blockSize = new Option<int>("--block-size") { Description = "incasem write block edge in voxels (also the output's chunk edge)", DefaultValueFactory = _ => 128 };
        var context3d = new Option<int>("--context") { Description = "incasem context read around each block, in voxels", DefaultValueFactory = _ => 64 };
        var engine = new EngineOptions();
        var command = new Command("clahe", "Contrast-limited adaptive histogram equalisation of each 3D timepoint, bit-exact with scikit-image 0.19 or incasem")
        {
            input, output, clipLimit, kernelSize, bins, variant, format, blockSize, context3d,
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

            var clip = result.GetValue(clipLimit);
            if (clip is < 0 or > 1 || double.IsNaN(clip))
            {
                return context.Fail("--clip-limit must lie in [0, 1].");
            }

            if (result.GetValue(kernelSize) is < 1)
            {
                return context.Fail("--kernel-size must be at least 1.");
            }

            if (engine.Requested(result))
            {
                if (result.GetValue(variant) != "incasem")
                {
                    return context.Fail("--engine and --workers run the incasem variant (block-wise) only; the skimage variant equalises with whole-volume tiles.");
                }

                var options = new IncasemClaheOptions
                {
                    ClipLimit = clip, LuminanceLevels = result.GetValue(bins), KernelSize = result.GetValue(kernelSize) ?? 128,
                    BlockSize = result.GetValue(blockSize), Context = result.GetValue(context3d),
                };
                return engine.Run(IncasemClaheOperation.CreatePlan(source, target, options), result, context);
            }

            var targetFormat = result.GetValue(format) ?? MovieFiles.Guess(target, forWriting: true);
            if (result.GetValue(variant) == "skimage" && targetFormat == MovieFormat.Zarr && IsThreeDimensionalZarr(source))
            {
                Stream(source, target, new ClaheOptions { ClipLimit = clip, LuminanceLevels = result.GetValue(bins), KernelSize = result.GetValue(kernelSize) is { } k ? [k] : null }, context);
                return 0;
            }

            var frames = MovieFiles.Read(source, MovieFiles.Guess(source, forWriting: false), context.CancellationToken);
            var results = new List<Volume<ushort>>();
            try
            {
                foreach (var frame in frames)
                {
                    results.Add(result.GetValue(variant) == "incasem"
                        ? Incasem(frame, clip, result.GetValue(kernelSize), result.GetValue(bins), result.GetValue(blockSize), result.GetValue(context3d), context.CancellationToken)
                        : Skimage(frame, clip, result.GetValue(kernelSize), result.GetValue(bins), context.CancellationToken));
                }

                MovieFiles.Write(target, targetFormat, results, context.CancellationToken);
            }
            finally
            {
                frames.ForEach(f => f.Dispose());
                results.ForEach(r => r.Dispose());
            }

            context.Console.WriteLine($"CLAHE ({result.GetValue(variant)}, clip limit {clip}) of {frames.Count} timepoint(s) written to {target}");
            return 0;
        }));
        return command;
    }

    /// <summary>Whether <paramref name="path"/> is a Zarr v2 array with three dimensions (one Z, Y, X volume).</summary>
    private static bool IsThreeDimensionalZarr(string path) =>
        File.Exists(Path.Combine(path, ".zarray")) && ZarrArray.Open(path).Rank == 3;

    /// <summary>
    /// Equalises a Z, Y, X Zarr array into a uint16 Zarr array without holding the volume, written under a temporary
    /// name and renamed when complete.
    /// </summary>
    private static void Stream(string source, string target, ClaheOptions options, CommandContext context)
    {
        var input = ZarrArray.Open(source);
        var partial = target + ".partial";
        if (Directory.Exists(partial))
        {
            Directory.Delete(partial, recursive: true);
        }

        try
        {
            var chunks = input.Metadata.Chunks.Select((c, i) => i == 0 ? c : Math.Min(input.Shape[i], 512)).ToArray();
            var output = ZarrArray.Create<ushort>(partial, [.. input.Shape], chunks, new IO.Zarr.Codecs.ZlibCompressor(1));
            Clahe.Equalize(input, output, options, cancellationToken: context.CancellationToken);
            Directory.Move(partial, target);
        }
        catch
        {
            if (Directory.Exists(partial))
            {
                Directory.Delete(partial, recursive: true);
            }

            throw;
        }

        context.Console.WriteLine($"CLAHE (skimage, clip limit {options.ClipLimit}) streamed from {source} to {target} ([{string.Join(", ", input.Shape)}], uint16)");
    }

    private static Volume<ushort> Skimage(Volume<ushort> frame, double clip, int? kernel, int bins, CancellationToken cancellationToken)
    {
        var options = new ClaheOptions { ClipLimit = clip, LuminanceLevels = bins, KernelSize = kernel is { } k ? [k] : null };
        return Clahe.EqualizeToUInt16(frame, options, cancellationToken);
    }

    private static Volume<ushort> Incasem(Volume<ushort> frame, double clip, int? kernel, int bins, int block, int context, CancellationToken cancellationToken)
    {
        using var bytes = new Volume<byte>(frame.Depth, frame.Height, frame.Width, frame.VoxelSize, frame.Origin);
        var source = frame.Span;
        var target = bytes.Span;
        for (var i = 0; i < source.Length; i++)
        {
            target[i] = source[i] <= byte.MaxValue
                ? (byte)source[i]
                : throw new ArgumentException("the incasem variant equalises 8-bit EM volumes, but the input holds values above 255.");
        }

        var options = new IncasemClaheOptions { ClipLimit = clip, LuminanceLevels = bins, KernelSize = kernel ?? 128, BlockSize = block, Context = context };
        using var equalised = IncasemClahe.Equalize(bytes, options, cancellationToken: cancellationToken);
        var result = new Volume<ushort>(frame.Depth, frame.Height, frame.Width, frame.VoxelSize, frame.Origin);
        var values = equalised.Span;
        var wide = result.Span;
        for (var i = 0; i < values.Length; i++)
        {
            wide[i] = values[i];
        }

        return result;
    }
}
