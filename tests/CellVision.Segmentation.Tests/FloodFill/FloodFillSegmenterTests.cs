using CellVision.Core.Volumes;

namespace CellVision.Segmentation.Tests.FloodFill;

/// <summary>Argument checks, cancellation and the degenerate inputs of <see cref="FloodFillSegmenter"/>.</summary>
public sealed class FloodFillSegmenterTests
{
    private static readonly StandInNetwork Cube = new((33, 33, 33), (8, 8, 8), -0.15f, 6f, 5f, 0.03f);

    [Fact]
    public void DefaultsAreTheReferenceRequestAndItsLogits()
    {
        var options = new FloodFillInferenceOptions();
        Assert.Equal((128.0, 33.0), (options.ImageMean, options.ImageStandardDeviation));
        Assert.Equal((0.95, 0.05, 0.9, 0.6), (options.InitialActivation, options.PadValue, options.MoveThreshold, options.SegmentThreshold));
        Assert.Equal((1, 1, 1), options.MinimumBoundaryDistance);
        Assert.Equal(1000, options.MinimumSegmentSize);
        Assert.Equal(0.0, options.DisconnectedSeedThreshold);

        // scipy.special.logit of the float32 option, rounded to float32 (printed by Debian's python3-scipy).
        var reference = PythonReference.RunInline(
            "import numpy as np\nfrom scipy.special import logit\n" +
            "print(' '.join(str(int(np.float32(logit(float(np.float32(p)))).view(np.int32))) for p in (0.95, 0.05, 0.9, 0.6, 0.85, 0.97, 0.1, 0.55)))\n" +
            "print(repr(logit(float(np.float32(0.9)))))");
        var lines = reference.Split('\n');
        var expected = lines[0].Split(' ').Select(int.Parse).ToArray();
        var actual = new[] { 0.95, 0.05, 0.9, 0.6, 0.85, 0.97, 0.1, 0.55 }.Select(p => BitConverter.SingleToInt32Bits(FloodFillInferenceOptions.Logit32(p))).ToArray();
        Assert.Equal(expected, actual);
        Assert.Equal(double.Parse(lines[1], System.Globalization.CultureInfo.InvariantCulture), FloodFillInferenceOptions.Logit64(0.9));
    }

    [Theory]
    [InlineData(nameof(FloodFillInferenceOptions.ImageStandardDeviation))]
    [InlineData(nameof(FloodFillInferenceOptions.ImageMean))]
    [InlineData(nameof(FloodFillInferenceOptions.InitialActivation))]
    [InlineData(nameof(FloodFillInferenceOptions.PadValue))]
    [InlineData(nameof(FloodFillInferenceOptions.MoveThreshold))]
    [InlineData(nameof(FloodFillInferenceOptions.SegmentThreshold))]
    [InlineData(nameof(FloodFillInferenceOptions.MinimumBoundaryDistance))]
    [InlineData(nameof(FloodFillInferenceOptions.MinimumSegmentSize))]
    [InlineData(nameof(FloodFillInferenceOptions.DisconnectedSeedThreshold))]
    public void ValidateNamesTheOptionOutOfRange(string name)
    {
        var options = name switch
        {
            nameof(FloodFillInferenceOptions.ImageStandardDeviation) => new FloodFillInferenceOptions { ImageStandardDeviation = 0 },
            nameof(FloodFillInferenceOptions.ImageMean) => new FloodFillInferenceOptions { ImageMean = double.NaN },
            nameof(FloodFillInferenceOptions.InitialActivation) => new FloodFillInferenceOptions { InitialActivation = 1 },
            nameof(FloodFillInferenceOptions.PadValue) => new FloodFillInferenceOptions { PadValue = 0 },
            nameof(FloodFillInferenceOptions.MoveThreshold) => new FloodFillInferenceOptions { MoveThreshold = 1e-60 },
            nameof(FloodFillInferenceOptions.SegmentThreshold) => new FloodFillInferenceOptions { SegmentThreshold = -0.2 },
            nameof(FloodFillInferenceOptions.MinimumBoundaryDistance) => new FloodFillInferenceOptions { MinimumBoundaryDistance = (1, -1, 1) },
            nameof(FloodFillInferenceOptions.MinimumSegmentSize) => new FloodFillInferenceOptions { MinimumSegmentSize = -1 },
            _ => new FloodFillInferenceOptions { DisconnectedSeedThreshold = double.PositiveInfinity },
        };
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => options.Validate());
        Assert.Equal(name, error.ParamName);

        using var image = new Volume<byte>(40, 40, 40);
        Assert.Throws<ArgumentOutOfRangeException>(() => FloodFillSegmenter.Segment(image, Cube, options).Dispose());
    }

    [Fact]
    public void NonFiniteImagesAreRefusedWithTheVoxel()
    {
        using var image = new Volume<float>(4, 5, 6);
        image[2, 3, 4] = float.NaN;
        var error = Assert.Throws<ArgumentException>(() => FloodFillSegmenter.Segment(image, Cube).Dispose());
        Assert.Equal("image", error.ParamName);
        Assert.Contains("(z 2, y 3, x 4)", error.Message, StringComparison.Ordinal);
        image[2, 3, 4] = float.NegativeInfinity;
        Assert.Throws<ArgumentException>(() => FloodFillSegmenter.Normalize(image).Dispose());
    }

    [Fact]
    public void NormalisationIsFloat32OfRawMinusMeanOverDeviation()
    {
        using var image = new Volume<ushort>(1, 2, 3);
        ushort[] raw = [0, 1, 128, 255, 1000, 65535];
        raw.CopyTo(image.Span);
        using var normalized = FloodFillSegmenter.Normalize(image, new FloodFillInferenceOptions { ImageMean = 120.5, ImageStandardDeviation = 40.1 });
        Assert.Equal(raw.Select(v => (v - 120.5f) / 40.1f), normalized.Span.ToArray());
    }

    [Fact]
    public void UnusableNetworksAndMasksAreRefused()
    {
        using var image = new Volume<byte>(40, 40, 40);
        Assert.Throws<ArgumentException>(() => FloodFillSegmenter.Segment(image, new StandInNetwork((32, 33, 33), (8, 8, 8), 0, 1, 1, 0)).Dispose());
        Assert.Throws<ArgumentException>(() => FloodFillSegmenter.Segment(image, new StandInNetwork((33, 33, 33), (8, 17, 8), 0, 1, 1, 0)).Dispose());
        Assert.Throws<ArgumentException>(() => FloodFillSegmenter.Segment(image, new StandInNetwork((33, 33, 33), (8, -1, 8), 0, 1, 1, 0)).Dispose());
        using var mask = new Volume<bool>(40, 40, 39);
        var error = Assert.Throws<ArgumentException>(() => FloodFillSegmenter.Segment(image, Cube, allowed: mask).Dispose());
        Assert.Equal("allowed", error.ParamName);
    }

    [Fact]
    public void AnImageWithoutEdgesHasNoSeedsAndNeverRunsTheNetwork()
    {
        using var image = new Volume<byte>(48, 48, 48);
        image.Span.Fill(170);
        var network = new StandInNetwork((33, 33, 33), (8, 8, 8), -0.15f, 6f, 5f, 0.03f);
        using var result = FloodFillSegmenter.Segment(image, network);
        Assert.Empty(result.Attempts);
        Assert.Empty(result.Segments);
        Assert.Equal(0, network.Calls);
        Assert.True(result.Segmentation.Span.IndexOfAnyExcept(0u) < 0);
    }

    [Fact]
    public void CancellationStopsBetweenSteps()
    {
        using var image = SyntheticBlobs();
        using var source = new CancellationTokenSource();
        var network = new CancellingNetwork(Cube, source, afterCalls: 3);
        Assert.ThrowsAny<OperationCanceledException>(() => FloodFillSegmenter.Segment(image, network, new FloodFillInferenceOptions { MinimumSegmentSize = 10 }, cancellationToken: source.Token).Dispose());
        Assert.Equal(3, network.Calls);
    }

    [Fact]
    public void NaNLogitsStopTheRunWithThePosition()
    {
        using var image = SyntheticBlobs();
        var error = Assert.Throws<InvalidOperationException>(() => FloodFillSegmenter.Segment(image, new NaNNetwork()).Dispose());
        Assert.Contains("NaN logits at position (", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Bright spheres on a dark background: several seeds, each grows for several steps.</summary>
    private static Volume<byte> SyntheticBlobs()
    {
        var image = new Volume<byte>(64, 64, 64);
        for (var z = 0; z < 64; z++)
        {
            for (var y = 0; y < 64; y++)
            {
                for (var x = 0; x < 64; x++)
                {
                    var inside = ((z - 32) * (z - 32)) + ((y - 30) * (y - 30)) + ((x - 34) * (x - 34)) < 20 * 20;
                    image[z, y, x] = (byte)(inside ? 180 + ((x * 7 + y * 3 + z) % 11) : 60);
                }
            }
        }

        return image;
    }

    private sealed class NaNNetwork : IFloodFillNetwork
    {
        public (int Z, int Y, int X) FieldOfView => (33, 33, 33);

        public (int Z, int Y, int X) Deltas => (8, 8, 8);

        public void Predict(ReadOnlySpan<float> image, ReadOnlySpan<float> seed, Span<float> logits, int batchSize)
        {
            seed.CopyTo(logits);
            logits[logits.Length - 3] = float.NaN;
        }
    }

    private sealed class CancellingNetwork(IFloodFillNetwork inner, CancellationTokenSource source, int afterCalls) : IFloodFillNetwork
    {
        public int Calls { get; private set; }

        public (int Z, int Y, int X) FieldOfView => inner.FieldOfView;

        public (int Z, int Y, int X) Deltas => inner.Deltas;

        public void Predict(ReadOnlySpan<float> image, ReadOnlySpan<float> seed, Span<float> logits, int batchSize)
        {
            inner.Predict(image, seed, logits, batchSize);
            if (++Calls == afterCalls)
            {
                source.Cancel();
            }
        }
    }
}
