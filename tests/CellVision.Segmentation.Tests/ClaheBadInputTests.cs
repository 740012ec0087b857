using CellVision.Core.Volumes;

namespace CellVision.Segmentation.Tests;

/// <summary>Inputs CLAHE cannot process give <see cref="ClaheException"/> with the reason.</summary>
public sealed class ClaheBadInputTests
{
    [Fact]
    public void EmptyImageIsRejected() =>
        Assert.Contains("empty", Assert.Throws<ClaheException>(() => Clahe.Equalize(ReadOnlySpan<ushort>.Empty, [0, 5])).Message);

    [Fact]
    public void NaNAndOutOfRangeFloatsAreRejected()
    {
        Assert.Contains("NaN", Assert.Throws<ClaheException>(() => Clahe.Equalize(new[] { 0.5f, float.NaN, 0f, 0f }, [2, 2])).Message);
        Assert.Contains("[-1, 1]", Assert.Throws<ClaheException>(() => Clahe.Equalize(new[] { 0.5f, 1.5f, 0f, 0f }, [2, 2])).Message);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void ClipLimitOutsideZeroToOneIsRejected(double clip) =>
        Assert.Contains("clip limit", Assert.Throws<ClaheException>(() => Clahe.Equalize(new ushort[16], [4, 4], new ClaheOptions { ClipLimit = clip })).Message);

    [Fact]
    public void KernelsAndShapesAreChecked()
    {
        Assert.Throws<ClaheException>(() => Clahe.Equalize(new ushort[16], [4, 4], new ClaheOptions { KernelSize = [0] }));
        Assert.Throws<ClaheException>(() => Clahe.Equalize(new ushort[16], [4, 4], new ClaheOptions { KernelSize = [2, 2, 2] }));
        Assert.Throws<ClaheException>(() => Clahe.Equalize(new ushort[16], [4, 5]));
        Assert.Throws<ClaheException>(() => Clahe.Equalize(new ushort[16], [16]));
        Assert.Throws<ClaheException>(() => Clahe.Equalize(new ushort[16], [4, 4], new ClaheOptions { LuminanceLevels = 1 }));
    }

    [Fact]
    public void KernelLargerThanTheVolumeIsRejected()
    {
        using var volume = new Volume<ushort>(1, 6, 6);
        var exception = Assert.Throws<ClaheException>(() => Clahe.Equalize(volume, new ClaheOptions { KernelSize = [32] }));
        Assert.Contains("larger than the image", exception.Message);
    }

    [Fact]
    public void CancellationStopsTheWork()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => Clahe.Equalize(new ushort[64 * 64], [64, 64], cancellationToken: cancelled.Token));
    }
}
