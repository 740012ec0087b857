using System.Globalization;
using CellVision.IO.TrackMate;

namespace CellVision.IO.Tests;

/// <summary>TrackMate XML from a real lineage (ASTEC Pm03, ../shared/data) keeps every spot and link and has what TrackMate and Mastodon require.</summary>
public sealed class TrackMateTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("cellvision-trackmate-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void RealLineageRoundTripsWithRequiredStructure()
    {
        var derived = SharedData.PathOf("astec-phallusia-lineages", "derived", "Pm03");
        var spots = File.ReadLines(Path.Combine(derived, "spots.csv")).Skip(1).Select(line =>
        {
            var f = line.Split(',');
            double D(int i) => double.Parse(f[i], CultureInfo.InvariantCulture);
            var radius = D(5);
            var variance = radius * radius / 5;
            return new TrackMateSpot(int.Parse(f[0], CultureInfo.InvariantCulture), int.Parse(f[1], CultureInfo.InvariantCulture), D(2), D(3), D(4), radius,
                Features: new Dictionary<string, double> { ["COVARIANCE_XX"] = variance, ["COVARIANCE_XY"] = 0, ["COVARIANCE_XZ"] = 0, ["COVARIANCE_YY"] = variance, ["COVARIANCE_YZ"] = 0, ["COVARIANCE_ZZ"] = variance });
        }).ToList();
        var links = File.ReadLines(Path.Combine(derived, "links.csv")).Skip(1).Select(line =>
        {
            var f = line.Split(',');
            return new TrackMateEdge(int.Parse(f[0], CultureInfo.InvariantCulture), int.Parse(f[1], CultureInfo.InvariantCulture));
        }).ToList();
        Assert.Equal(13484, spots.Count);
        Assert.Equal(13438, links.Count);

        var model = TrackMateModel.FromLinks(spots, links, new TrackMateImageData("dataset.xml", string.Empty, 620, 620, 300, 90, 1, 1, 1));
        var path = Path.Combine(folder, "Pm03.xml");
        TrackMateXml.Write(path, model);
        var reread = TrackMateXml.Read(path);
        Assert.Equal(spots.Count, reread.Spots.Count);
        Assert.Equal(links.Count, reread.Tracks.Sum(t => t.Edges.Count));
        Assert.Equal(model.Tracks.Count, reread.Tracks.Count);
        Assert.Equal(spots[123].X, reread.Spots.Single(s => s.Id == spots[123].Id).X);
        Assert.Equal(spots[5].Features!["COVARIANCE_YY"], reread.Spots.Single(s => s.Id == spots[5].Id).Features!["COVARIANCE_YY"]);

        var script = """
            import sys
            import xml.etree.ElementTree as ET
            root = ET.parse(sys.argv[1]).getroot()
            model = root.find("Model")
            spots = model.findall("AllSpots/SpotsInFrame/Spot")
            ids = {s.get("ID") for s in spots}
            edges = model.findall("AllTracks/Track/Edge")
            tracks = model.findall("AllTracks/Track")
            declared = [f.get("feature") for f in model.findall("FeatureDeclarations/SpotFeatures/Feature")]
            ok = all(s.get("VISIBILITY") == "1" for s in spots) and all(e.get("SPOT_SOURCE_ID") in ids and e.get("SPOT_TARGET_ID") in ids for e in edges)
            filtered = {t.get("TRACK_ID") for t in model.findall("FilteredTracks/TrackID")} == {t.get("TRACK_ID") for t in tracks}
            groups = [model.find("FeatureDeclarations/" + g) is not None for g in ("SpotFeatures", "EdgeFeatures", "TrackFeatures")]
            print(len(spots), model.find("AllSpots").get("nspots"), len(edges), ok, filtered, all(groups), "COVARIANCE_ZZ" in declared, root.find("Settings/ImageData").get("filename"))
            """;
        Assert.Equal($"13484 13484 13438 True True True True dataset.xml", PythonReference.RunInline(script, path));
    }

    [Fact]
    public void TracksAreConnectedComponents()
    {
        var spots = Enumerable.Range(0, 6).Select(i => new TrackMateSpot(i, i % 3, i, 0, 0, 1)).ToList();
        var model = TrackMateModel.FromLinks(spots, [new(0, 1), new(1, 2), new(3, 4)], new TrackMateImageData("x.tif", string.Empty, 1, 1, 1, 3, 1, 1, 1));
        Assert.Equal(2, model.Tracks.Count);
        Assert.Equal(2, model.Tracks[0].Edges.Count);
        Assert.Throws<ArgumentException>(() => TrackMateModel.FromLinks(spots, [new(0, 99)], model.ImageData));
    }

    [Fact]
    public void MissingModelOrAttributesAreNamed()
    {
        var path = Path.Combine(folder, "bad.xml");
        File.WriteAllText(path, "<TrackMate><Model><AllSpots><SpotsInFrame frame=\"0\"><Spot ID=\"1\" FRAME=\"0\" POSITION_X=\"1\" POSITION_Y=\"2\"/></SpotsInFrame></AllSpots></Model></TrackMate>");
        Assert.Contains("POSITION_Z", Assert.Throws<TrackMateFormatException>(() => TrackMateXml.Read(path)).Message);
        File.WriteAllText(path, "<TrackMate/>");
        Assert.Contains("<Model>", Assert.Throws<TrackMateFormatException>(() => TrackMateXml.Read(path)).Message);
    }
}
