using CellVision.Core.Geometry;
using CellVision.Core.Volumes;
using CellVision.Torch;

namespace CellVision.Detection.Tests;

/// <summary>ELEPHANT's input rescaling (<see cref="PredictionOptions.ResizeFactor"/>, the server's <c>input_size</c>).</summary>
public sealed class InputResizingTests
{
    private static readonly bool[] KeepAll = [true, true, true, true];

    [Fact]
    public void Resize_samples_with_aligned_corners_and_divides_the_voxel_size()
    {
        using var ramp = new Volume<float>(2, 3, 5, new VoxelSize(0.5, 1, 2));
        for (var i = 0; i < ramp.Length; i++)
        {
            ramp.Span[i] = i % 5;
        }

        using var resized = InputResizing.Resize(ramp, (1, 1, 2));
        Assert.Equal((2, 3, 10), (resized.Depth, resized.Height, resized.Width));
        Assert.Equal(new VoxelSize(0.25, 1, 2), resized.VoxelSize);

        // Aligned corners: the first and last voxels stay where they were, so x_j = j · 4 / 9.
        for (var j = 0; j < 10; j++)
        {
            Assert.Equal(j * 4f / 9f, resized.Span[(4 * 10) + j], 1e-5f);
        }

        // input_size over the image size: 30 → 19 voxels although 30 · (19 / 30) is not exactly 19 in floating point.
        using var wide = new Volume<float>(1, 1, 30);
        using var narrowed = InputResizing.Resize(wide, (1, 1, 19d / 30));
        Assert.Equal(19, narrowed.Width);
        Assert.Throws<ArgumentOutOfRangeException>(() => InputResizing.Resize(wide, (1, 0, 1)).Dispose());
    }

    [Fact]
    public void Prediction_runs_the_network_on_the_resampled_frame_and_resamples_the_probabilities_back()
    {
        TorchRuntime.ManualSeed(3);
        using var model = new DetectionUNet();
        using var frame = Waves(8, 16, 24, 100);
        var options = new PredictionOptions { PatchSize = (8, 32, 48), OneDnnConvolutions = false, ResizeFactor = (1, 2, 2) };
        using var probabilities = new DetectionPredictor(model, KeepAll).Predict(frame, options);
        Assert.Equal((8, 16, 24), (probabilities.Centre.Depth, probabilities.Centre.Height, probabilities.Centre.Width));

        // Independently: min–max, trilinear to 8 × 32 × 48, the network, trilinear back.
        using var scope = DisposeScope.Enter();
        using var noGrad = GradientMode.InferenceMode();
        model.Eval();
        var (min, max) = (frame.Span.ToArray().Min(), frame.Span.ToArray().Max());
        var normalised = frame.Span.ToArray().Select(v => (v - min) / (max - min)).ToArray();
        var input = Functional.Interpolate(Tensor.FromSpan<float>(normalised, [1, 1, 8, 16, 24]), [8, 32, 48], InterpolationMode.Trilinear, alignCorners: true);
        var output = model.Forward(input, KeepAll, pad: true).Exp();
        var expected = Functional.Interpolate(output, [8, 16, 24], InterpolationMode.Trilinear, alignCorners: true).ToArray<float>();
        var channels = new[] { probabilities.Background, probabilities.Border, probabilities.Centre };
        for (var c = 0; c < 3; c++)
        {
            for (var i = 0; i < frame.Length; i++)
            {
                Assert.Equal(expected[(c * frame.Length) + i], channels[c].Span[i], 1e-5f);
            }
        }
    }

    [Fact]
    public void Detection_finds_the_nuclei_on_the_resampled_grid_and_hands_out_frame_sized_probabilities()
    {
        TorchRuntime.ManualSeed(4);
        using var model = new DetectionUNet();
        using var frame = Waves(8, 16, 24, 0);
        var predictor = new DetectionPredictor(model, KeepAll);
        var resized = new PredictionOptions { PatchSize = (8, 32, 48), ResizeFactor = (1, 2, 2) };

        // What ELEPHANT extracts: the centre probability of the resampled frame, with 0.25 × 0.25 × 2 µm voxels.
        using var normalised = Normalised(frame);
        using var resampledInput = InputResizing.Resize(normalised, (1, 2, 2));
        using var onResampledGrid = predictor.PredictNormalised(resampledInput, resized);
        var threshold = onResampledGrid.Centre.Span.ToArray().Order().ElementAt(onResampledGrid.Centre.Length * 9 / 10);
        var spotOptions = new SpotExtractionOptions { ProbabilityThreshold = threshold, MinimumRadius = 0, MaximumRadius = 1e6 };
        var expected = SpotExtractor.Extract(onResampledGrid.Centre, new VoxelSize(0.25, 0.25, 2), spotOptions);
        Assert.NotEmpty(expected);

        (int, int, int)? handedOut = null;
        var spots = predictor.Detect(frame, resized, spotOptions, probabilitiesReady: p => handedOut = (p.Centre.Depth, p.Centre.Height, p.Centre.Width));
        Assert.Equal((8, 16, 24), handedOut);
        Assert.Equal(expected.Count, spots.Count);
        for (var i = 0; i < spots.Count; i++)
        {
            Assert.Equal(expected[i].X, spots[i].X, 1e-4);
            Assert.Equal(expected[i].Y, spots[i].Y, 1e-4);
            Assert.Equal(expected[i].Z, spots[i].Z, 1e-4);
        }

        // Without resampling the same threshold finds other nuclei on the 0.5 µm grid.
        var unresized = predictor.Detect(frame, resized with { ResizeFactor = (1, 1, 1), PatchSize = (8, 16, 24) }, spotOptions);
        Assert.NotEqual(expected.Select(s => (s.X, s.Y, s.Z)), unresized.Select(s => (s.X, s.Y, s.Z)));
    }

    [Fact]
    public void Training_frames_resample_intensities_trilinearly_and_labels_by_nearest_neighbour()
    {
        using var normalised = new Volume<float>(2, 2, 3, new VoxelSize(1, 1, 2));
        using var labels = new Volume<byte>(2, 2, 3, new VoxelSize(1, 1, 2));
        for (var i = 0; i < normalised.Length; i++)
        {
            normalised.Span[i] = i % 3 / 2f;
            labels.Span[i] = (byte)(i % 3);
        }

        var frame = new TrainingFrame(normalised, labels);
        var resized = frame.Resize((1, 1, 2));
        using (resized.Normalised)
        using (resized.Labels)
        {
            Assert.Equal((2, 2, 6), (resized.Labels.Depth, resized.Labels.Height, resized.Labels.Width));
            Assert.Equal((2, 2, 6), (resized.Normalised.Depth, resized.Normalised.Height, resized.Normalised.Width));

            // Nearest (PyTorch's legacy mode): target x reads source ⌊x · 3 / 6⌋; intensities: aligned corners.
            Assert.Equal([0, 0, 1, 1, 2, 2], resized.Labels.Span[..6].ToArray());
            Assert.Equal([0f, 0.2f, 0.4f, 0.6f, 0.8f, 1f], resized.Normalised.Span[..6].ToArray().Select(v => MathF.Round(v, 5)));

            // The voxel size stays the frame's (ELEPHANT's scale augmentation uses the request's scales).
            Assert.Equal(new VoxelSize(1, 1, 2), resized.Normalised.VoxelSize);
        }

        Assert.Equal(12, frame.Labels.Length);
    }

    private static Volume<float> Normalised(Volume<float> frame)
    {
        var copy = frame.Crop(frame.Bounds);
        Normalization.MinMaxToUnit(copy.Span);
        return copy;
    }

    /// <summary>Intensities offset + [0, 99.5] in blobs, with 0.5 × 0.5 × 2 µm voxels.</summary>
    private static Volume<float> Waves(int depth, int height, int width, float offset)
    {
        var volume = new Volume<float>(depth, height, width, new VoxelSize(0.5, 0.5, 2));
        for (var z = 0; z < depth; z++)
        {
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    var value = (Math.Sin(x * 0.6) * Math.Sin(y * 0.5) * Math.Cos(z * 0.4)) + 1;
                    volume.Span[(((z * height) + y) * width) + x] = offset + (float)(value * 49.75);
                }
            }
        }

        return volume;
    }
}
