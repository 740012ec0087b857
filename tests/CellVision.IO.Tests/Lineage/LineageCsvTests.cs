using CellVision.Core.Annotations;
using CellVision.IO.Lineage;
using CellVision.IO.TrackMate;

namespace CellVision.IO.Tests.Lineage;

public class LineageCsvTests
{
    private static LineageGraph Sample()
    {
        var graph = new LineageGraph();
        var a = graph.AddSpot(0, 1.5, 2.25, 3, new Covariance3(4, 0.5, 0, 9, 0.25, 16));
        var b = graph.AddSpot(1, 1.75, 2.5, 3.125, 2.0);
        var c = graph.AddSpot(1, 8, 2, 3, 2.0);
        a.DetectionTag = DetectionTag.TruePositive;
        c.DetectionTag = DetectionTag.FalseBorder;
        b.Quality = 0.625;
        graph.AddLink(a, b, TrackingTag.Approved);
        graph.AddLink(a, c);
        return graph;
    }

    [Fact]
    public void Spots_links_and_tags_round_trip_exactly()
    {
        var folder = Directory.CreateTempSubdirectory().FullName;
        var graph = Sample();
        LineageCsv.Write(graph, Path.Combine(folder, "spots.csv"), Path.Combine(folder, "links.csv"));
        var read = LineageCsv.Read(Path.Combine(folder, "spots.csv"), Path.Combine(folder, "links.csv"));

        Assert.Equal(3, read.SpotCount);
        Assert.Equal(2, read.LinkCount);
        var first = read.SpotsAt(0).Single();
        Assert.Equal((1.5, 2.25, 3.0), (first.X, first.Y, first.Z));
        Assert.Equal(new Covariance3(4, 0.5, 0, 9, 0.25, 16), first.Covariance);
        Assert.Equal(DetectionTag.TruePositive, first.DetectionTag);
        Assert.Equal(2, first.Outgoing.Count);
        Assert.Equal(TrackingTag.Approved, first.Outgoing.Single(l => l.Target.X == 1.75).TrackingTag);
        Assert.Equal(0.625, read.SpotsAt(1).Single(s => s.X == 1.75).Quality);
        Assert.Equal(DetectionTag.FalseBorder, read.SpotsAt(1).Single(s => s.X == 8).DetectionTag);
        Directory.Delete(folder, true);
    }

    [Fact]
    public void A_radius_column_gives_spheres_and_bad_rows_name_file_and_line()
    {
        var folder = Directory.CreateTempSubdirectory().FullName;
        var path = Path.Combine(folder, "annotations.csv");
        File.WriteAllText(path, "timepoint,x,y,z,radius,detection_tag\n0,1,2,3,2.5,tp\n1,4,5,6,3,fn\n");
        var graph = LineageCsv.Read(path);
        Assert.Equal(Covariance3.Sphere(2.5), graph.SpotsAt(0).Single().Covariance);
        Assert.Equal(DetectionTag.FalseNegative, graph.SpotsAt(1).Single().DetectionTag);

        File.WriteAllText(path, "timepoint,x,y,z,radius\n0,1,2,3,2.5\n0,1,zz,3,2\n");
        var error = Assert.Throws<InvalidDataException>(() => LineageCsv.Read(path));
        Assert.Contains("line 3", error.Message);

        File.WriteAllText(path, "timepoint,x,y\n0,1,2\n");
        Assert.Contains("required", Assert.Throws<InvalidDataException>(() => LineageCsv.Read(path)).Message);

        File.WriteAllText(path, "timepoint,x,y,z,radius,detection_tag\n0,1,2,3,2.5,maybe\n");
        Assert.Contains("not a detection tag", Assert.Throws<InvalidDataException>(() => LineageCsv.Read(path)).Message);
        Directory.Delete(folder, true);
    }

    [Fact]
    public void TrackMate_models_keep_covariance_and_links()
    {
        var graph = Sample();
        var model = TrackMateLineage.ToModel(graph, new TrackMateImageData("movie.xml", "", 64, 64, 8, 2, 0.5, 0.5, 2));
        Assert.Single(model.Tracks);
        var back = TrackMateLineage.FromModel(model);
        Assert.Equal(graph.SpotCount, back.SpotCount);
        Assert.Equal(graph.LinkCount, back.LinkCount);
        Assert.Equal(new Covariance3(4, 0.5, 0, 9, 0.25, 16), back.SpotsAt(0).Single().Covariance);
        Assert.Equal(2, back.SpotsAt(0).Single().Outgoing.Count);
    }
}
