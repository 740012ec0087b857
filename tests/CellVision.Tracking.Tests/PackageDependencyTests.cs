namespace CellVision.Tracking.Tests;

/// <summary>Tracking builds on the shared network blocks, not on the detection model family, and reads no files itself.</summary>
public sealed class PackageDependencyTests
{
    [Fact]
    public void Tracking_references_neither_detection_nor_io()
    {
        var references = typeof(NearestNeighborLinker).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();
        Assert.DoesNotContain("CellVision.Detection", references);
        Assert.DoesNotContain("CellVision.IO", references);
        Assert.Contains("CellVision.Networks", references);
    }
}
