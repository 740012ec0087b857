using System.CommandLine;
using System.Globalization;
using System.Numerics;
using CellVision.Core.Volumes;
using CellVision.IO.Zarr;
using CellVision.Networks;
using CellVision.Segmentation;
using CellVision.Torch;
using Spectre.Console;

namespace CellVision.Cli.Commands;

/// <summary><c>cellvision semantic train</c>: incasem's training from a data-configuration JSON or from plain volumes.</summary>
internal static class SemanticTrainCommand
{
    internal static Command Create(CommandContext context)
    {
        var defaults = new SemanticTrainingOptions();
        var config = new Option<string?>("--config") { Description = "incasem data-configuration JSON of the training datasets (Zarr containers with funlib attributes)" };
        var dataDirectory = new Option<string?>("--data-dir") { Description = "Directory the configuration's files are relative to [default: ~/incasem/data]" };
        var validationConfig = new Option<string?>("--validation-config") { Description = "Data-configuration JSON of the validation datasets" };
        var raw = new Option<string?>("--raw") { Description = "Instead of --config: 8-bit raw volumes, comma-separated (any format convert reads)" };
        var labels = new Option<string?>("--labels") { Description = "With --raw: class-id volumes (0 = background, 1..K−1), one per raw volume" };
        var masks = new Option<string?>("--mask") { Description = "With --raw: sample masks (nonzero inside), one per raw volume" };
        var region = new Option<string?>("--region") { Description = "With --raw: train on this box Z0,Y0,X0,D,H,W of every volume (e.g. the first sections)" };
        var validationRegion = new Option<string?>("--validation-region") { Description = "With --validation-raw: score this box Z0,Y0,X0,D,H,W of every volume" };
        var validationRaw = new Option<string?>("--validation-raw") { Description = "With --raw: raw volumes scored during training" };
        var validationLabels = new Option<string?>("--validation-labels") { Description = "Their class ids" };
        var model = new Option<string>("--model") { Description = "Weights to write (.pth, an incasem checkpoint); MODEL.step beside it is kept, and an interrupted run resumes from both", Required = true };
        var classes = new Option<int?>("--classes") { Description = "Classes including background [default: the configuration's classes + 1, or the largest label + 1]" };
        var iterations = new Option<long>("--iterations") { Description = "Optimiser steps in all, counting resumed ones (incasem: 200000; its README fine-tunes for 5000-15000)", DefaultValueFactory = _ => defaults.Iterations };
        var inputSize = Parsing.Extent("--input-size", "Network input block Z,Y,X (incasem: 204,204,204 -> 110³ outputs)", defaults.InputSize);
        var featureMaps = new Option<int>("--feature-maps") { Description = "Feature maps of the top level (incasem: 32)", DefaultValueFactory = _ => new ValidUNetOptions().FeatureMaps };
        var downsample = new Option<string>("--downsample") { Description = "Pooling factor below each level, Z,Y,X separated by ';' (incasem: 2,2,2;2,2,2;2,2,2; serial sections: 1,2,2;1,2,2;1,2,2)", DefaultValueFactory = _ => "2,2,2;2,2,2;2,2,2" };
        var kernel = Parsing.Extent("--kernel", "Kernel Z,Y,X of every convolution, the final one included (incasem: 3,3,3; serial sections: 1,3,3)", (3, 3, 3));
        var learningRate = new Option<double>("--learning-rate") { Description = "Adam learning rate (incasem: 3e-5)", DefaultValueFactory = _ => defaults.LearningRate };
        var weightDecay = new Option<double>("--weight-decay") { Description = "Adam L2 weight decay (incasem: 3e-5)", DefaultValueFactory = _ => defaults.WeightDecay };
        var augmentation = new Option<string>("--augmentation") { Description = "all (incasem's: mirror, transpose, elastic, intensity), flips (mirror and transpose) or none", DefaultValueFactory = _ => "all" };
        augmentation.AcceptOnlyFromAmong("all", "flips", "none");
        var checkpointEvery = new Option<int>("--checkpoint-every") { Description = "Steps between checkpoints (incasem: 1000)", DefaultValueFactory = _ => defaults.CheckpointInterval };
        var validateEvery = new Option<int>("--validate-every") { Description = "Steps between validations (incasem: 1000)", DefaultValueFactory = _ => defaults.ValidationInterval };
        var seed = new Option<int>("--seed") { Description = "Seed of the initial weights, the blocks and the augmentations", DefaultValueFactory = _ => 0 };
        var command = new Command("train", "Train incasem's semantic U-Net: random blocks with its foreground and mask rules, augmentations, balanced masked cross-entropy, Adam")
        {
            config, dataDirectory, validationConfig, raw, labels, masks, region, validationRaw, validationLabels, validationRegion, model, classes, iterations, inputSize, featureMaps, downsample, kernel,
            learningRate, weightDecay, augmentation, checkpointEvery, validateEvery, seed,
        };
        command.SetAction(result => context.Guard(() =>
        {
            TorchThreads.UseAvailableCores();
            var training = new List<SemanticTrainingVolume>();
            var validation = new List<SemanticTrainingVolume>();
            try
            {
                int? configuredClasses = null;
                if (result.GetValue(config) is { } configPath)
                {
                    var size = result.GetValue(inputSize);
                    var rawContext = (size.Z / 2, size.Y / 2, size.X / 2);
                    configuredClasses = LoadConfigured(configPath, result.GetValue(dataDirectory), rawContext, training, context.CancellationToken);
                    if (result.GetValue(validationConfig) is { } validationPath)
                    {
                        LoadConfigured(validationPath, result.GetValue(dataDirectory), rawContext, validation, context.CancellationToken);
                    }
                }
                else if (result.GetValue(raw) is { } rawPaths && result.GetValue(labels) is { } labelPaths)
                {
                    LoadPlain(rawPaths, labelPaths, result.GetValue(masks), Region(result.GetValue(region)), training, context.CancellationToken);
                    if (result.GetValue(validationRaw) is { } vr && result.GetValue(validationLabels) is { } vl)
                    {
                        LoadPlain(vr, vl, null, Region(result.GetValue(validationRegion)), validation, context.CancellationToken);
                    }
                }
                else
                {
                    return context.Fail("Give the training data as --config data.json, or as --raw and --labels.");
                }

                var classCount = result.GetValue(classes) ?? configuredClasses ?? (training.Max(v => Largest(v.Labels)) + 1);
                var path = result.GetValue(model)!;
                var factors = ParseFactors(result.GetValue(downsample)!);
                var (kz, ky, kx) = result.GetValue(kernel);
                var k = new Size3(kz, ky, kx);
                var networkOptions = new SemanticUNetOptions
                {
                    Classes = Math.Max(2, classCount),
                    FinalKernel = k,
                    UNet = new ValidUNetOptions
                    {
                        FeatureMaps = result.GetValue(featureMaps),
                        DownsampleFactors = factors,
                        DownKernelSizes = [.. Enumerable.Range(0, factors.Count + 1).Select(_ => (IReadOnlyList<Size3>)[k, k])],
                        UpKernelSizes = [.. Enumerable.Range(0, factors.Count).Select(_ => (IReadOnlyList<Size3>)[k, k])],
                    },
                };
                var resumed = File.Exists(path) && File.Exists(path + ".step");
                using var network = resumed ? SemanticUNet.Load(path, factors) : TorchRuntime.Seeded(unchecked((ulong)result.GetValue(seed)), () => new SemanticUNet(networkOptions));

                var anisotropic = factors.Any(f => f.Depth != f.Height) || kz != ky;
                var augment = result.GetValue(augmentation) switch
                {
                    "none" => SemanticAugmentationOptions.None,
                    "flips" => SemanticAugmentationOptions.None with { Mirror = true, Transpose = true },
                    _ => new SemanticAugmentationOptions(),
                };
                if (anisotropic)
                {
                    // Serial sections: Z is never swapped with Y or X, and the elastic step stays within sections.
                    augment = augment with { TransposableAxes = (false, true, true), JitterSigma = (0, augment.JitterSigma.Y, augment.JitterSigma.X) };
                }

                var trainingOptions = new SemanticTrainingOptions
                {
                    Iterations = result.GetValue(iterations),
                    InputSize = result.GetValue(inputSize),
                    LearningRate = result.GetValue(learningRate),
                    WeightDecay = result.GetValue(weightDecay),
                    CheckpointInterval = result.GetValue(checkpointEvery),
                    ValidationInterval = result.GetValue(validateEvery),
                    Augmentation = augment,
                    Seed = result.GetValue(seed),
                };
                context.Console.WriteLine($"{(resumed ? "resuming" : "training")} {path}: {network.Classes} classes, input {trainingOptions.InputSize} -> output {network.GetOutputSize(trainingOptions.InputSize)}, {training.Count} training and {validation.Count} validation datasets");
                var last = SemanticTrainer.Train(network, training, trainingOptions, validation, path, new TrainingReport(context), context.CancellationToken);
                context.Console.WriteLine($"trained to step {last}; weights saved to {path}");
                return 0;
            }
            finally
            {
                foreach (var volume in training.Concat(validation))
                {
                    volume.Raw.Dispose();
                    volume.Labels.Dispose();
                    volume.Mask?.Dispose();
                    volume.MetricMask?.Dispose();
                }
            }
        }));
        return command;
    }

    internal static IReadOnlyList<Size3> ParseFactors(string text)
    {
        var factors = new List<Size3>();
        foreach (var level in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = level.Split(',');
            if (parts.Length != 3 || !parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0))
            {
                throw new ArgumentException($"--downsample '{text}': each level needs three positive integers Z,Y,X, separated by ';'.");
            }

            factors.Add(new Size3(int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture)));
        }

        return factors;
    }

    /// <summary>Loads every dataset of a configuration, its raw image with up to half an input block of context (at least the network's).</summary>
    private static int LoadConfigured(string path, string? dataDirectory, (int Z, int Y, int X) rawContext, List<SemanticTrainingVolume> into, CancellationToken cancellationToken)
    {
        var configuration = SemanticDataConfiguration.Load(path);
        SemanticDataLoader.Check(configuration, OpenZarr, dataDirectory);
        foreach (var dataset in configuration.Datasets)
        {
            into.Add(SemanticDataLoader.LoadForTraining(configuration, dataset, OpenZarr, rawContext, dataDirectory, cancellationToken));
        }

        return configuration.ClassCount + 1;
    }

    /// <summary>Opens an array of a Zarr container with its funlib resolution and offset.</summary>
    internal static SemanticSourceArray OpenZarr(string container, string path)
    {
        var array = ZarrArray.Open(Path.Combine(container, path));
        var attributes = FunlibAttributes.Read(array);
        return new SemanticSourceArray(array, attributes?.Resolution, attributes?.Offset);
    }

    private static Box? Region(string? text) => text is null ? null : SemanticPredictCommand.ParseRegion(text);

    private static void LoadPlain(string rawPaths, string labelPaths, string? maskPaths, Box? region, List<SemanticTrainingVolume> into, CancellationToken cancellationToken)
    {
        var raws = Split(rawPaths);
        var labels = Split(labelPaths);
        var masks = maskPaths is null ? null : Split(maskPaths);
        if (raws.Length != labels.Length || (masks is not null && masks.Length != raws.Length))
        {
            throw new ArgumentException($"Give one label volume{(masks is null ? string.Empty : " and one mask")} per raw volume: {raws.Length} raw, {labels.Length} labels{(masks is null ? string.Empty : $", {masks.Length} masks")}.");
        }

        for (var i = 0; i < raws.Length; i++)
        {
            var raw = ReadRaw(raws[i], cancellationToken);
            var classIds = ReadClasses(labels[i], cancellationToken);
            var mask = masks is null ? null : ReadClasses(masks[i], cancellationToken);
            if (!classIds.Shape.SequenceEqual(raw.Shape) || (mask is not null && !mask.Shape.SequenceEqual(raw.Shape)))
            {
                var shapes = $"raw {string.Join('×', raw.Shape)}, labels {string.Join('×', classIds.Shape)}{(mask is null ? string.Empty : $", mask {string.Join('×', mask.Shape)}")}";
                raw.Dispose();
                classIds.Dispose();
                mask?.Dispose();
                throw new ArgumentException($"'{raws[i]}', '{labels[i]}'{(mask is null ? string.Empty : $" and '{masks![i]}'")} differ in shape: {shapes}.");
            }

            if (region is { } box)
            {
                // The raw image keeps the context around the box, as the reference reads raw beyond its labels.
                using (classIds)
                using (mask)
                {
                    if (!raw.Bounds.Contains(box))
                    {
                        raw.Dispose();
                        throw new ArgumentException($"--region {box} does not lie inside '{raws[i]}' ({string.Join('×', classIds.Shape)}).");
                    }

                    into.Add(new SemanticTrainingVolume(raw, classIds.Crop(box), ((int)box.Start[0], (int)box.Start[1], (int)box.Start[2]), mask?.Crop(box)));
                }

                continue;
            }

            into.Add(new SemanticTrainingVolume(raw, classIds, default, mask));
        }
    }

    /// <summary>An 8-bit raw volume in any format convert reads.</summary>
    internal static Volume<byte> ReadRaw(string path, CancellationToken cancellationToken)
    {
        using var wide = FfnCommand.ReadSingle(path, cancellationToken);
        return Narrow(wide) ?? throw new ArgumentException($"'{path}' holds values above 255; the semantic U-Net reads 8-bit raw (convert 16-bit data to 8 bits first).");
    }

    /// <summary>The volume as bytes when every value fits in one, else null.</summary>
    internal static Volume<byte>? Narrow(Volume<ushort> wide)
    {
        if (wide.Span.IndexOfAnyExceptInRange((ushort)0, byte.MaxValue) >= 0)
        {
            return null;
        }

        var raw = new Volume<byte>(wide.Depth, wide.Height, wide.Width, wide.VoxelSize, wide.Origin);
        var source = wide.Span;
        var target = raw.Span;
        for (var i = 0; i < source.Length; i++)
        {
            target[i] = (byte)source[i];
        }

        return raw;
    }

    private static Volume<byte> ReadClasses(string path, CancellationToken cancellationToken)
    {
        using var volume = LabelVolumeFiles.Read(path, cancellationToken);
        return volume.Accept(new ClassVisitor(path));
    }

    private static int Largest(Volume<byte> labels)
    {
        var largest = 0;
        foreach (var value in labels.Span)
        {
            largest = Math.Max(largest, value);
        }

        return largest;
    }

    private static string[] Split(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private sealed class ClassVisitor(string path) : ILabelVolumeVisitor<Volume<byte>>
    {
        public Volume<byte> Visit<T>(Volume<T> volume)
            where T : unmanaged, IBinaryInteger<T>
        {
            var classes = new Volume<byte>(volume.Depth, volume.Height, volume.Width, volume.VoxelSize, volume.Origin);
            var source = volume.Span;
            var target = classes.Span;
            for (var i = 0; i < source.Length; i++)
            {
                target[i] = T.IsNegative(source[i]) || source[i] > T.CreateTruncating(byte.MaxValue)
                    ? throw new ArgumentException($"'{path}' holds the label {source[i]}; class ids must lie in 0..255.")
                    : byte.CreateTruncating(source[i]);
            }

            return classes;
        }
    }

    /// <summary>Prints the mean loss about every 10 s and every validation.</summary>
    private sealed class TrainingReport(CommandContext context) : IProgress<SemanticTrainingProgress>
    {
        private TimeSpan? last;
        private double loss;
        private int steps;

        public void Report(SemanticTrainingProgress value)
        {
            (loss, steps) = (loss + value.Loss, steps + 1);
            if (value.ValidationDice is { } dice)
            {
                context.Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"step {value.Step}: validation Dice {string.Join(", ", dice.Select((d, c) => $"class {c + 1} {d:F4}"))}"));
            }

            if (last is { } previous && value.Elapsed - previous < TimeSpan.FromSeconds(10) && value.Step != value.Iterations)
            {
                return;
            }

            context.Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"step {value.Step}/{value.Iterations}: loss {loss / steps:F4}, {value.Elapsed.TotalSeconds:F0} s"));
            (last, loss, steps) = (value.Elapsed, 0, 0);
        }
    }
}
