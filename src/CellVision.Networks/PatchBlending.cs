using CellVision.Core.Geometry;
using CellVision.Core.Volumes;
using CellVision.Torch;
using CellVision.Torch.Modules;

namespace CellVision.Networks;

/// <summary>
/// ELEPHANT's patch-wise prediction: the volumes are cut into patches laid out by <see cref="PatchGrid"/>, the patches
/// are predicted in batches and the outputs summed with the product of the per-axis blending ramps as weights.
/// </summary>
public static class PatchBlending
{
    /// <summary>Predicts the patches of <paramref name="channels"/> and returns the weighted sums of the outputs.</summary>
    /// <param name="channels">The input channels, all of one shape (D, H, W).</param>
    /// <param name="patchSize">Requested patch size (limited to the volume).</param>
    /// <param name="batchSize">Patches per network call (at least 1).</param>
    /// <param name="positiveRamps">Use ramps that never reach 0 and also sum the weights (see <see cref="PatchGrid.Weights"/>).</param>
    /// <param name="outputChannels">Channels the network returns per patch.</param>
    /// <param name="voxelSize">Voxel size of the returned sums.</param>
    /// <param name="model">Switched to evaluation mode while predicting and back afterwards; null for none.</param>
    /// <param name="network">
    /// Maps a (N, C, d, h, w) batch to a contiguous float tensor on the CPU of shape (N, outputChannels, d, h, w); it runs
    /// in inference mode inside a dispose scope.
    /// </param>
    /// <param name="oneDnnConvolutions">Run the network inside <see cref="Conv3dKernels.ForceOneDnn"/>.</param>
    /// <param name="progress">Receives the number of patches done.</param>
    /// <param name="cancellationToken">Stops between batches of patches.</param>
    /// <returns>
    /// One weighted sum per output channel (the caller owns them) and, with <paramref name="positiveRamps"/>, the sum of
    /// the weights per voxel.
    /// </returns>
    public static (Volume<float>[] Sums, float[]? WeightSum) Predict(
        IReadOnlyList<Volume<float>> channels,
        (int Depth, int Height, int Width) patchSize,
        int batchSize,
        bool positiveRamps,
        int outputChannels,
        VoxelSize voxelSize,
        Module? model,
        Func<Tensor, Tensor> network,
        bool oneDnnConvolutions,
        IProgress<PredictionProgress>? progress,
        CancellationToken cancellationToken)
    {
        var volume = channels[0];
        var (depth, height, width) = (volume.Depth, volume.Height, volume.Width);
        var grids = new[]
        {
            PatchGrid.Create(depth, patchSize.Depth),
            PatchGrid.Create(height, patchSize.Height),
            PatchGrid.Create(width, patchSize.Width),
        };
        var patches = (from z in Enumerable.Range(0, grids[0].Starts.Length)
                       from y in Enumerable.Range(0, grids[1].Starts.Length)
                       from x in Enumerable.Range(0, grids[2].Starts.Length)
                       select (Z: z, Y: y, X: x)).ToArray();
        var (pd, ph, pw) = (grids[0].Patch, grids[1].Patch, grids[2].Patch);
        var patchLength = pd * ph * pw;
        var inputChannels = channels.Count;
        var sums = new Volume<float>[outputChannels];
        for (var c = 0; c < outputChannels; c++)
        {
            sums[c] = new Volume<float>(depth, height, width, voxelSize);
        }

        var weightSum = positiveRamps ? new float[volume.Length] : null;
        var wasTraining = model?.IsTraining ?? false;
        model?.Eval();
        try
        {
            var input = new float[batchSize * inputChannels * patchLength];
            var output = new float[batchSize * outputChannels * patchLength];
            for (var first = 0; first < patches.Length; first += batchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var batch = patches.AsSpan(first, Math.Min(batchSize, patches.Length - first));
                for (var b = 0; b < batch.Length; b++)
                {
                    var origin = Origin(grids, batch[b]);
                    for (var c = 0; c < inputChannels; c++)
                    {
                        CopyPatch(channels[c], origin, (pd, ph, pw), input.AsSpan(((b * inputChannels) + c) * patchLength, patchLength));
                    }
                }

                using (GradientMode.InferenceMode())
                using (oneDnnConvolutions ? Conv3dKernels.ForceOneDnn() : null)
                using (var scope = DisposeScope.Enter())
                {
                    var tensor = Tensor.FromSpan<float>(input.AsSpan(0, batch.Length * inputChannels * patchLength), [batch.Length, inputChannels, pd, ph, pw]);
                    network(tensor).CopyTo<float>(output.AsSpan(0, batch.Length * outputChannels * patchLength));
                }

                for (var b = 0; b < batch.Length; b++)
                {
                    var p = batch[b];
                    var weights = (grids[0].Weights(p.Z, positiveRamps), grids[1].Weights(p.Y, positiveRamps), grids[2].Weights(p.X, positiveRamps));
                    Accumulate(sums, weightSum, output.AsSpan(b * outputChannels * patchLength, outputChannels * patchLength), Origin(grids, p), (pd, ph, pw), weights);
                }

                progress?.Report(new PredictionProgress(first + batch.Length, patches.Length));
            }
        }
        catch
        {
            foreach (var sum in sums)
            {
                sum.Dispose();
            }

            throw;
        }
        finally
        {
            model?.Train(wasTraining);
        }

        return (sums, weightSum);
    }

    private static (int Z, int Y, int X) Origin(PatchGrid[] grids, (int Z, int Y, int X) patch) =>
        (grids[0].Starts[patch.Z], grids[1].Starts[patch.Y], grids[2].Starts[patch.X]);

    private static void CopyPatch(Volume<float> volume, (int Z, int Y, int X) origin, (int D, int H, int W) size, Span<float> destination)
    {
        for (var z = 0; z < size.D; z++)
        {
            for (var y = 0; y < size.H; y++)
            {
                volume.Row(origin.Z + z, origin.Y + y).Slice(origin.X, size.W).CopyTo(destination.Slice(((z * size.H) + y) * size.W, size.W));
            }
        }
    }

    private static void Accumulate(Volume<float>[] sums, float[]? weightSum, ReadOnlySpan<float> values, (int Z, int Y, int X) origin, (int D, int H, int W) size, (float[] Z, float[] Y, float[] X) weights)
    {
        var patchLength = size.D * size.H * size.W;
        for (var z = 0; z < size.D; z++)
        {
            for (var y = 0; y < size.H; y++)
            {
                var wzy = weights.Z[z] * weights.Y[y];
                var source = ((z * size.H) + y) * size.W;
                var target = ((((origin.Z + z) * sums[0].Height) + origin.Y + y) * sums[0].Width) + origin.X;
                for (var c = 0; c < sums.Length; c++)
                {
                    var row = sums[c].Span.Slice(target, size.W);
                    var patch = values.Slice((c * patchLength) + source, size.W);
                    for (var x = 0; x < size.W; x++)
                    {
                        row[x] += wzy * weights.X[x] * patch[x];
                    }
                }

                if (weightSum is not null)
                {
                    for (var x = 0; x < size.W; x++)
                    {
                        weightSum[target + x] += wzy * weights.X[x];
                    }
                }
            }
        }
    }
}
