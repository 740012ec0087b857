using CellVision.Core.Geometry;
using CellVision.Core.Volumes;
using CellVision.Torch;

namespace CellVision.Detection.Tests;

/// <summary>ELEPHANT's "use 2D model": a 2-D U-Net on every Z slice, and the nuclei extracted from its centres in 3-D.</summary>
public sealed class SliceWiseDetectionPredictorTests
{
    [Fact]
    public void EverySliceIsPredictedByThe2DNetworkOnItsOwn()
    {
        TorchRuntime.ManualSeed(21);
        using var model = new DetectionUNet2D();
        using var frame = new Volume<float>(3, 20, 24, new VoxelSize(0.5, 0.5, 2));
        for (var i = 0; i < frame.Length; i++)
        {
            frame.Span[i] = (float)((Math.Cos(i * 0.29) + 1) / 2);
        }

        var predictor = new SliceWiseDetectionPredictor([model]);
        var progress = new List<int>();
        using var probabilities = predictor.PredictNormalised(frame, new PredictionOptions { PatchSize = (24, 384, 384) }, new Progress(progress));
        Assert.Equal([1, 2, 3], progress);
        Assert.Equal((3, 20, 24), (probabilities.Centre.Depth, probabilities.Centre.Height, probabilities.Centre.Width));
        Assert.Equal(frame.VoxelSize, probabilities.Centre.VoxelSize);

        using var scope = DisposeScope.Enter();
        using var noGrad = GradientMode.InferenceMode();
        model.Eval();
        var channels = new[] { probabilities.Background, probabilities.Border, probabilities.Centre };
        const int Slice = 20 * 24;
        for (var z = 0; z < 3; z++)
        {
            var expected = model.Forward(Tensor.FromSpan<float>(frame.Span.Slice(z * Slice, Slice), [1, 1, 20, 24]), pad: true).Exp().ToArray<float>();
            for (var c = 0; c < 3; c++)
            {
                for (var i = 0; i < Slice; i++)
                {
                    Assert.Equal(expected[(c * Slice) + i], channels[c].Span[(z * Slice) + i], 1e-5f);
                }
            }
        }
    }

    [Fact]
    public void SliceWiseCentresKeepTheZExtentOfTheCentreRegion()
    {
        // A centre region 2 voxels wide in X and Y through 5 slices: the slice-wise correction scales the Z moments by
        // the centre ratio, so the Z variance shrinks by its square while X and Y stay.
        using var centre = new Volume<float>(9, 12, 12);
        for (var z = 2; z <= 6; z++)
        {
            for (var y = 5; y <= 6; y++)
            {
                for (var x = 5; x <= 6; x++)
                {
                    centre[z, y, x] = 0.9f;
                }
            }
        }

        var options = new SpotExtractionOptions { CentreRatio = 0.4, MinimumRadius = 0, MaximumRadius = 1e6 };
        var plain = Assert.Single(SpotExtractor.Extract(centre, new VoxelSize(1, 1, 1), options));
        var sliceWise = Assert.Single(SpotExtractor.Extract(centre, new VoxelSize(1, 1, 1), options with { SliceWiseCentres = true }));
        Assert.Equal((plain.X, plain.Y, plain.Z), (sliceWise.X, sliceWise.Y, sliceWise.Z));
        Assert.Equal(plain.Covariance[0], sliceWise.Covariance[0], 1e-9);
        Assert.Equal(plain.Covariance[4], sliceWise.Covariance[4], 1e-9);
        Assert.Equal(plain.Covariance[8] * 0.16, sliceWise.Covariance[8], 1e-9);
    }

    private sealed class Progress(List<int> done) : IProgress<CellVision.Networks.PredictionProgress>
    {
        public void Report(CellVision.Networks.PredictionProgress value) => done.Add(value.PatchesDone);
    }
}
