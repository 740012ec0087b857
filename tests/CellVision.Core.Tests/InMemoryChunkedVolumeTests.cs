using CellVision.Core.Volumes;

namespace CellVision.Core.Tests;

public sealed class InMemoryChunkedVolumeTests
{
    [Fact]
    public void Boxes_read_and_write_the_volumes_voxels_and_bad_requests_are_refused()
    {
        using var volume = new Volume<ushort>(4, 5, 6);
        for (var i = 0; i < volume.Length; i++)
        {
            volume.Span[i] = (ushort)i;
        }

        var view = new InMemoryChunkedVolume<ushort>(volume);
        var box = Box.FromZyx(1, 2, 3, 2, 2, 3);
        var read = new ushort[box.ElementCount];

        view.Read(box, read.AsSpan());
        view.Write(Box.FromZyx(0, 0, 0, 1, 1, 2), (ReadOnlySpan<ushort>)[900, 901]);

        Assert.Equal([1, 5, 6], [view.Rank == 3 ? 1 : 0, (int)view.Shape[1], (int)view.Shape[2]]);
        Assert.Equal(2, view.ElementSize);
        Assert.Equal([(ushort)volume[1, 2, 3], volume[1, 2, 4], volume[1, 2, 5], volume[1, 3, 3], volume[1, 3, 4], volume[1, 3, 5], volume[2, 2, 3], volume[2, 2, 4], volume[2, 2, 5], volume[2, 3, 3], volume[2, 3, 4], volume[2, 3, 5]], read);
        Assert.Equal((ushort)900, volume[0, 0, 0]);
        Assert.Equal((ushort)901, volume[0, 0, 1]);
        Assert.Equal((ushort)2, volume[0, 0, 2]);
        Assert.Throws<ArgumentException>(() => view.Read(Box.FromZyx(3, 4, 5, 2, 1, 1), new ushort[2].AsSpan()));
        Assert.Throws<ArgumentException>(() => view.Read(box, new ushort[3].AsSpan()));
        Assert.Throws<ArgumentException>(() => view.Read(box, new float[box.ElementCount].AsSpan()));
    }
}
