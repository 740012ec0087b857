using CellVision.Core.Volumes;

namespace CellVision.Core.Tests;

public sealed class BoxTests
{
    [Fact]
    public void IntersectionOfOverlappingBoxesIsTheirCommonPart()
    {
        var a = Box.FromZyx(0, 0, 0, 4, 4, 4);
        var b = Box.FromZyx(2, 3, -1, 4, 4, 2);
        Assert.Equal(Box.FromZyx(2, 3, 0, 2, 1, 1), a.Intersect(b));
        Assert.True(a.Intersect(Box.FromZyx(5, 0, 0, 1, 1, 1)).IsEmpty);
    }

    [Fact]
    public void ClippingKeepsThePartInsideTheArray()
    {
        var clipped = Box.FromZyx(-2, 5, 8, 4, 4, 4).ClipTo([10, 7, 10]);
        Assert.Equal(Box.FromZyx(0, 5, 8, 2, 2, 2), clipped);
        Assert.Equal(8, clipped.ElementCount);
    }

    [Fact]
    public void ContainmentTranslationAndEquality()
    {
        var outer = Box.FromShape(5, 5);
        Assert.True(outer.Contains(new Box([1, 1], [4, 4])));
        Assert.False(outer.Contains(new Box([1, 1], [5, 4])));
        Assert.Equal(new Box([3, 4], [2, 2]), new Box([1, 1], [2, 2]).Translate([2, 3]));
        Assert.Equal(new Box([1], [2]).GetHashCode(), new Box([1], [2]).GetHashCode());
    }

    [Fact]
    public void InvalidBoxesAreRejected()
    {
        Assert.Throws<ArgumentException>(() => new Box([0, 0], [1]));
        Assert.Throws<ArgumentException>(() => new Box([0], [-1]));
        Assert.Throws<ArgumentException>(() => Box.FromShape(2, 2).Intersect(Box.FromShape(2)));
    }
}
