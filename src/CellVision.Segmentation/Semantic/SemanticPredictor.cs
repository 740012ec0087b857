using System.Diagnostics;
using System.Threading.Channels;
using CellVision.Core.Volumes;
using CellVision.Torch;

namespace CellVision.Segmentation;

/// <summary>
/// incasem's block-wise prediction (spec B.5): the raw volume is scanned in input blocks laid out by
/// <see cref="SemanticBlockGrid"/>; each block is normalised to [−1, 1], its logits turned into class probabilities
/// (softmax over classes, float32) and the most probable class (ties to the lower class) times the mask. Blocks are
/// read ahead and written behind on their own threads, and written in block order, so where the last block of an
/// axis overlaps its neighbour the later block's values stand on every run (the reference's parallel workers leave that
/// to chance). Memory is bounded by the blocks in flight, not by the volume.
/// </summary>
public static class SemanticPredictor
{
    /// <summary>Predicts every block of <paramref name="region"/> not listed in <paramref name="finishedBlocks"/>.</summary>
    /// <param name="raw">The raw image: uint8 (divided by 255) or uint16 (divided by 65535), three-dimensional.</param>
    /// <param name="network">The network.</param>
    /// <param name="targets">Where the probabilities and the segmentation go; arrays of the raw image's shape.</param>
    /// <param name="options">Block size and pipelining; null for incasem's 204³ blocks.</param>
    /// <param name="region">The region of interest; null for the whole volume. Outputs cover it shrunk by the network's context.</param>
    /// <param name="mask">An array of the raw image's shape, nonzero inside the sample; the segmentation is 0 elsewhere. Null for everywhere.</param>
    /// <param name="finishedBlocks">Blocks already written by an interrupted run (from <see cref="SemanticPredictionProgress.Block"/>); they are skipped.</param>
    /// <param name="progress">Receives a report after each block is written.</param>
    /// <param name="cancellationToken">Checked between blocks; blocks already written stay written and whole.</param>
    /// <returns>The block layout.</returns>
    /// <exception cref="ArgumentException">The arrays' shapes or element types do not fit, or the region is smaller than one block.</exception>
    public static SemanticBlockGrid Predict(
        IChunkedVolume raw,
        ISemanticNetwork network,
        SemanticPredictionTargets targets,
        SemanticPredictionOptions? options = null,
        Box? region = null,
        IChunkedVolume? mask = null,
        IReadOnlySet<int>? finishedBlocks = null,
        IProgress<SemanticPredictionProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(targets);
        options = (options ?? new SemanticPredictionOptions()).Validate();
        if (options.TestTimeAugmentation != SemanticTestTimeAugmentation.None)
        {
            network = new TestTimeAugmentedNetwork(network, options.TestTimeAugmentation);
        }

        var grid = Layout(raw, network, targets, options, region, mask);
        var pending = Enumerable.Range(0, grid.Count).Where(i => finishedBlocks is null || !finishedBlocks.Contains(i)).ToList();
        if (pending.Count == 0)
        {
            return grid;
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = linked.Token;
        var inputs = Channel.CreateBounded<(int Index, float[] Image)>(options.BlocksInFlight);
        var outputs = Channel.CreateBounded<(int Index, float[] Probabilities, uint[] Classes)>(options.BlocksInFlight);
        var clock = Stopwatch.StartNew();
        var reader = Task.Run(() => ReadBlocks(raw, grid, pending, inputs.Writer, token), token);
        var writer = Task.Run(() => WriteBlocks(grid, network.Classes, targets, mask, pending.Count, outputs.Reader, progress, clock, token), token);
        try
        {
            using var kernels = options.OneDnnConvolutions ? Conv3dKernels.ForceOneDnn() : null;
            var outputLength = grid.OutputSize.Z * grid.OutputSize.Y * grid.OutputSize.X;
            for (var n = 0; n < pending.Count; n++)
            {
                var (index, image) = ReadNext(inputs.Reader, token);
                var logits = new float[network.Classes * outputLength];
                network.PredictLogits(image, grid.InputSize, logits);
                var classes = new uint[outputLength];
                Softmax(logits, network.Classes, classes);
                WriteNext(outputs.Writer, (index, logits, classes), token);
            }

            outputs.Writer.Complete();
            writer.GetAwaiter().GetResult();
            reader.GetAwaiter().GetResult();
        }
        catch
        {
            linked.Cancel();
            outputs.Writer.TryComplete();
            WaitQuietly(reader, writer);
            cancellationToken.ThrowIfCancellationRequested();
            throw;
        }

        return grid;
    }

    /// <summary>Turns class-major logits into probabilities in place (scipy.special.softmax over axis 0, float32) and the argmax class.</summary>
    internal static void Softmax(Span<float> values, int classes, Span<uint> argmax)
    {
        var length = argmax.Length;
        for (var i = 0; i < length; i++)
        {
            var max = values[i];
            for (var c = 1; c < classes; c++)
            {
                max = MathF.Max(max, values[(c * length) + i]);
            }

            var sum = 0f;
            for (var c = 0; c < classes; c++)
            {
                var e = MathF.Exp(values[(c * length) + i] - max);
                values[(c * length) + i] = e;
                sum += e;
            }

            var (best, bestClass) = (float.NegativeInfinity, 0u);
            for (var c = 0; c < classes; c++)
            {
                var p = values[(c * length) + i] / sum;
                values[(c * length) + i] = p;
                if (p > best)
                {
                    (best, bestClass) = (p, (uint)c);
                }
            }

            argmax[i] = bestClass;
        }
    }

    private static SemanticBlockGrid Layout(IChunkedVolume raw, ISemanticNetwork network, SemanticPredictionTargets targets, SemanticPredictionOptions options, Box? region, IChunkedVolume? mask)
    {
        if (raw.Rank != 3)
        {
            throw new ArgumentException($"The raw image must be three-dimensional; it is [{string.Join(", ", raw.Shape)}].", nameof(raw));
        }

        if (raw.ElementSize is not (1 or 2))
        {
            throw new ArgumentException($"The raw image must be uint8 or uint16; its elements are {raw.ElementSize} bytes.", nameof(raw));
        }

        if (network.Classes < 2)
        {
            throw new ArgumentException($"The network must predict at least 2 classes; it predicts {network.Classes}.", nameof(network));
        }

        if (targets.Probabilities is { } maps && maps.Count != network.Classes)
        {
            throw new ArgumentException($"The network predicts {network.Classes} classes but {maps.Count} probability arrays were given.", nameof(targets));
        }

        foreach (var (array, name, size) in (targets.Probabilities ?? []).Select(a => ((IChunkedVolume?)a, "probability array", sizeof(float)))
            .Append((targets.Segmentation, "segmentation", sizeof(uint))).Append((mask, "mask", 0)))
        {
            if (array is null)
            {
                continue;
            }

            if (!array.Shape.SequenceEqual(raw.Shape) || (size > 0 && array.ElementSize != size))
            {
                throw new ArgumentException($"The {name} is [{string.Join(", ", array.Shape)}] with {array.ElementSize}-byte elements; it must be [{string.Join(", ", raw.Shape)}]{(size > 0 ? $" with {size}-byte elements" : string.Empty)}.", name == "mask" ? nameof(mask) : nameof(targets));
            }
        }

        var whole = new Box([0, 0, 0], [.. raw.Shape]);
        var roi = region ?? whole;
        if (roi.Rank != 3 || Enumerable.Range(0, 3).Any(a => roi.Start[a] < 0 || roi.Start[a] + roi.Size[a] > raw.Shape[a]))
        {
            throw new ArgumentException($"The region {roi} lies outside the [{string.Join(", ", raw.Shape)}] volume.", nameof(region));
        }

        return SemanticBlockGrid.Create(roi, options.InputSize, network.OutputSize(options.InputSize));
    }

    private static async Task ReadBlocks(IChunkedVolume raw, SemanticBlockGrid grid, List<int> pending, ChannelWriter<(int, float[])> writer, CancellationToken token)
    {
        try
        {
            foreach (var index in pending)
            {
                var box = grid.InputBlock(index);
                var image = new float[box.ElementCount];
                if (raw.ElementSize == 1)
                {
                    var values = new byte[image.Length];
                    raw.Read(box, values.AsSpan(), cancellationToken: token);
                    SemanticUNet.NormalizeInput(values, image);
                }
                else
                {
                    var values = new ushort[image.Length];
                    raw.Read(box, values.AsSpan(), cancellationToken: token);
                    Normalize(values, image);
                }

                await writer.WriteAsync((index, image), token).ConfigureAwait(false);
            }

            writer.Complete();
        }
        catch (Exception e)
        {
            writer.TryComplete(e);
            throw;
        }
    }

    /// <summary>incasem's input scaling for 16-bit raw: gunpowder's <c>Normalize</c> (× float32 1/65535), then [0, 1] to [−1, 1].</summary>
    private static void Normalize(ushort[] values, float[] image)
    {
        const float Scale = (float)(1.0 / 65535);
        for (var i = 0; i < values.Length; i++)
        {
            var unit = values[i] * Scale;
            image[i] = (unit * 2f) - 1f;
        }
    }

    private static async Task WriteBlocks(SemanticBlockGrid grid, int classes, SemanticPredictionTargets targets, IChunkedVolume? mask, int count, ChannelReader<(int Index, float[] Probabilities, uint[] Classes)> reader, IProgress<SemanticPredictionProgress>? progress, Stopwatch clock, CancellationToken token)
    {
        var written = 0;
        await foreach (var (index, probabilities, labels) in reader.ReadAllAsync(token).ConfigureAwait(false))
        {
            var box = grid.OutputBlock(index);
            var length = labels.Length;
            if (targets.Probabilities is { } maps)
            {
                for (var c = 0; c < classes; c++)
                {
                    maps[c].Write(box, (ReadOnlySpan<float>)probabilities.AsSpan(c * length, length), cancellationToken: token);
                }
            }

            if (targets.Segmentation is { } segmentation)
            {
                if (mask is not null)
                {
                    var inside = ReadMask(mask, box, token);
                    for (var i = 0; i < length; i++)
                    {
                        labels[i] = inside[i] ? labels[i] : 0;
                    }
                }

                segmentation.Write(box, (ReadOnlySpan<uint>)labels, cancellationToken: token);
            }

            written++;
            progress?.Report(new SemanticPredictionProgress(index, written, count - written, clock.Elapsed));
        }
    }

    private static bool[] ReadMask(IChunkedVolume mask, Box box, CancellationToken token)
    {
        var inside = new bool[box.ElementCount];
        switch (mask.ElementSize)
        {
            case 1:
                var bytes = new byte[inside.Length];
                mask.Read(box, bytes.AsSpan(), cancellationToken: token);
                for (var i = 0; i < inside.Length; i++)
                {
                    inside[i] = bytes[i] != 0;
                }

                break;
            case 2:
                var shorts = new ushort[inside.Length];
                mask.Read(box, shorts.AsSpan(), cancellationToken: token);
                for (var i = 0; i < inside.Length; i++)
                {
                    inside[i] = shorts[i] != 0;
                }

                break;
            case 4:
                var ints = new uint[inside.Length];
                mask.Read(box, ints.AsSpan(), cancellationToken: token);
                for (var i = 0; i < inside.Length; i++)
                {
                    inside[i] = ints[i] != 0;
                }

                break;
            default:
                throw new ArgumentException($"The mask must hold 1-, 2- or 4-byte integers; its elements are {mask.ElementSize} bytes.", nameof(mask));
        }

        return inside;
    }

    private static (int Index, float[] Image) ReadNext(ChannelReader<(int Index, float[] Image)> reader, CancellationToken token)
    {
        var next = reader.ReadAsync(token);
        return next.IsCompletedSuccessfully ? next.Result : next.AsTask().GetAwaiter().GetResult();
    }

    private static void WriteNext<T>(ChannelWriter<T> writer, T item, CancellationToken token)
    {
        var write = writer.WriteAsync(item, token);
        if (!write.IsCompletedSuccessfully)
        {
            write.AsTask().GetAwaiter().GetResult();
        }
    }

    private static void WaitQuietly(params Task[] tasks)
    {
        try
        {
            Task.WaitAll(tasks);
        }
        catch (AggregateException)
        {
            // The first failure is the one rethrown by the caller.
        }
    }
}
