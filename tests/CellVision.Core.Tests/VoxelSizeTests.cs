using CellVision.Core.Geometry;

namespace CellVision.Core.Tests;

public sealed class VoxelSizeTests
{
    [Fact]
    public void IndexAndPhysicalPositionsConvertBothWays()
    {
        var size = new VoxelSize(0.5, 0.25, 2.0);
        Assert.Equal((1.5, 0.5, 8.0), size.ToPhysical(z: 4, y: 2, x: 3));
        Assert.Equal((4.0, 2.0, 3.0), size.ToVoxel(x: 1.5, y: 0.5, z: 8.0));
        Assert.Equal(0.25, size.Volume);
    }

    [Theory]
    [InlineData(0, 1, 1)]
    [InlineData(1, -1, 1)]
    [InlineData(1, 1, double.NaN)]
    public void InvalidSizesAreRejectedWithTheAxisName(double x, double y, double z)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => new VoxelSize(x, y, z).Validate());
        Assert.Contains("micrometres", exception.Message);
    }
}
