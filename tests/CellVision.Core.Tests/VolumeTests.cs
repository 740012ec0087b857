using CellVision.Core.Geometry;
using CellVision.Core.Volumes;

namespace CellVision.Core.Tests;

public sealed class VolumeTests
{
    [Fact]
    public void VoxelsAreStoredZyxInCOrder()
    {
        using var volume = new Volume<ushort>(2, 3, 4);
        volume[1, 2, 3] = 7;
        Assert.Equal(7, volume.Span[(1 * 12) + (2 * 4) + 3]);
        Assert.Equal(7, volume.Row(1, 2)[3]);
        Assert.Equal(7, volume.Plane(1)[(2 * 4) + 3]);
        Assert.Equal([2L, 3L, 4L], volume.Shape);
        Assert.Throws<ArgumentOutOfRangeException>(() => volume[2, 0, 0]);
    }

    [Fact]
    public void NewVolumesAreZeroEvenWhenTheBufferIsReused()
    {
        using (var first = new Volume<int>(4, 4, 4))
        {
            first.Span.Fill(-1);
        }

        using var second = new Volume<int>(4, 4, 4);
        Assert.All(second.Span.ToArray(), v => Assert.Equal(0, v));
    }

    [Fact]
    public void CropCopiesTheRegionAndMovesTheOrigin()
    {
        using var volume = new Volume<float>(4, 5, 6, new VoxelSize(0.5, 0.5, 2), (10, 20, 30));
        for (var i = 0; i < volume.Length; i++)
        {
            volume.Span[i] = i;
        }

        using var crop = volume.Crop(Box.FromZyx(1, 2, 3, 2, 2, 2));
        Assert.Equal(volume[1, 2, 3], crop[0, 0, 0]);
        Assert.Equal(volume[2, 3, 4], crop[1, 1, 1]);
        Assert.Equal((11.5, 21.0, 32.0), crop.Origin);
        Assert.Throws<ArgumentException>(() => volume.Crop(Box.FromZyx(3, 0, 0, 2, 1, 1)));
    }

    [Fact]
    public void PasteWritesIntoTheTargetRegion()
    {
        using var target = new Volume<byte>(3, 3, 3);
        using var patch = new Volume<byte>(1, 2, 2);
        patch.Span.Fill(9);
        target.Paste(patch, 2, 1, 1);
        Assert.Equal(9, target[2, 2, 2]);
        Assert.Equal(0, target[2, 0, 0]);
        Assert.Throws<ArgumentException>(() => target.Paste(patch, 2, 2, 2));
    }

    [Fact]
    public void DisposedVolumeCannotBeRead()
    {
        var volume = new Volume<short>(1, 1, 1);
        volume.Dispose();
        Assert.Throws<ObjectDisposedException>(() => volume.Span.Length);
    }
}
