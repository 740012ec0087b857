using System.Numerics.Tensors;
using CellVision.Core.Volumes;

namespace CellVision.Core.Tests;

public sealed class VolumeTensorsTests
{
    [Fact]
    public void RegionViewReadsAndWritesTheVolumeWithoutCopying()
    {
        using var volume = new Volume<int>(3, 4, 5);
        for (var i = 0; i < volume.Length; i++)
        {
            volume.Span[i] = i;
        }

        var view = volume.AsTensorSpan(Box.FromZyx(1, 2, 1, 2, 2, 3));
        Assert.Equal([2, 2, 3], view.Lengths.ToArray());
        Assert.Equal(volume[1, 2, 1], view[0, 0, 0]);
        Assert.Equal(volume[2, 3, 3], view[1, 1, 2]);
        view[1, 0, 2] = -7;
        Assert.Equal(-7, volume[2, 2, 3]);
        Assert.Throws<ArgumentException>(() => volume.AsTensorSpan(Box.FromZyx(2, 0, 0, 2, 1, 1)));
    }

    [Fact]
    public void TensorsBecomeVolumesAndTensorPrimitivesWorkOnVolumes()
    {
        using var volume = new Volume<float>(2, 2, 2);
        volume.Span.Fill(1.5f);
        Assert.Equal(12f, TensorPrimitives.Sum<float>(volume.Span));
        var tensor = volume.AsTensorSpan();
        using var copy = ((ReadOnlyTensorSpan<float>)tensor).ToVolume();
        Assert.Equal(volume.Span.ToArray(), copy.Span.ToArray());
    }
}
