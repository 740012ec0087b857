using CellVision.Core.Volumes;
namespace CellVision.IO.TrackMate;

/// <summary>
/// A TrackMate spot. Positions, time and radius are physical (calibrated) values. Extra features, such as the
/// covariance of an ellipsoid (<see cref="TrackMateXml.CovarianceFeatures"/>), are stored as named doubles.
/// </summary>
/// <param name="Id">Unique spot id.</param>
/// <param name="Frame">Zero-based frame.</param>
/// <param name="X">Position X.</param>
/// <param name="Y">Position Y.</param>
/// <param name="Z">Position Z.</param>
/// <param name="Radius">Radius.</param>
/// <param name="Quality">Detection quality (default 1).</param>
/// <param name="Time">Physical time (POSITION_T); null uses the frame number.</param>
/// <param name="Name">Display name; null writes "ID{Id}".</param>
/// <param name="Visible">Whether the spot is shown (VISIBILITY).</param>
/// <param name="Features">Further numeric features by TrackMate key.</param>
public sealed record TrackMateSpot(int Id, int Frame, double X, double Y, double Z, double Radius, double Quality = 1, double? Time = null, string? Name = null, bool Visible = true, IReadOnlyDictionary<string, double>? Features = null);

/// <summary>A link between two spots (undirected in TrackMate; Mastodon orients it from the earlier frame).</summary>
/// <param name="Source">Source spot id.</param>
/// <param name="Target">Target spot id.</param>
/// <param name="Cost">Link cost (LINK_COST).</param>
public sealed record TrackMateEdge(int Source, int Target, double Cost = 0);

/// <summary>A track: a connected set of links.</summary>
/// <param name="Id">TRACK_ID.</param>
/// <param name="Name">Display name.</param>
/// <param name="Edges">The links.</param>
public sealed record TrackMateTrack(int Id, string Name, IReadOnlyList<TrackMateEdge> Edges);

/// <summary>The image a TrackMate model belongs to (Settings/ImageData; required by Mastodon's importer).</summary>
/// <param name="FileName">Image file, or a BDV XML (the MaMuT flavour binds tracks to that dataset).</param>
/// <param name="Folder">Folder of the file ("" for next to the XML).</param>
/// <param name="Width">Image width in pixels.</param>
/// <param name="Height">Image height in pixels.</param>
/// <param name="Slices">Z planes.</param>
/// <param name="Frames">Time frames.</param>
/// <param name="PixelWidth">Pixel width in spatial units.</param>
/// <param name="PixelHeight">Pixel height in spatial units.</param>
/// <param name="VoxelDepth">Z step in spatial units.</param>
/// <param name="TimeInterval">Time between frames.</param>
public sealed record TrackMateImageData(string FileName, string Folder, int Width, int Height, int Slices, int Frames, double PixelWidth, double PixelHeight, double VoxelDepth, double TimeInterval = 1)
{
    /// <summary>The image binding of a movie whose frames are shaped and scaled like <paramref name="frame"/>.</summary>
    /// <typeparam name="T">The voxel type.</typeparam>
    /// <param name="frame">One frame of the movie (its shape and voxel size are used).</param>
    /// <param name="frames">The number of timepoints.</param>
    /// <param name="imagePath">The movie's file (its folder, when the path has one, is recorded too), which Fiji opens with the tracks; empty when there is none.</param>
    /// <returns>The binding, time interval 1.</returns>
    public static TrackMateImageData Of<T>(Volume<T> frame, int frames, string imagePath = "")
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(imagePath);
        var size = frame.VoxelSize;
        var folder = Path.GetDirectoryName(imagePath) ?? "";
        return new TrackMateImageData(Path.GetFileName(imagePath), folder, frame.Width, frame.Height, frame.Depth, frames, size.X, size.Y, size.Z);
    }
}

/// <summary>A TrackMate model: spots, tracks, units and image binding.</summary>
public sealed record TrackMateModel
{
    /// <summary>Spatial unit (default "micron", TrackMate's usual).</summary>
    public string SpatialUnits { get; init; } = "micron";

    /// <summary>Time unit (default "frame").</summary>
    public string TimeUnits { get; init; } = "frame";

    /// <summary>All spots.</summary>
    public required IReadOnlyList<TrackMateSpot> Spots { get; init; }

    /// <summary>All tracks.</summary>
    public required IReadOnlyList<TrackMateTrack> Tracks { get; init; }

    /// <summary>The image; required by Mastodon.</summary>
    public required TrackMateImageData ImageData { get; init; }

    /// <summary>Builds a model whose tracks are the connected components of <paramref name="links"/>, numbered 0, 1, … by smallest spot id.</summary>
    /// <param name="spots">The spots.</param>
    /// <param name="links">Links between spot ids.</param>
    /// <param name="imageData">The image binding.</param>
    /// <exception cref="ArgumentException">A link names an unknown spot, or spot ids repeat.</exception>
    public static TrackMateModel FromLinks(IReadOnlyList<TrackMateSpot> spots, IEnumerable<TrackMateEdge> links, TrackMateImageData imageData)
    {
        ArgumentNullException.ThrowIfNull(spots);
        ArgumentNullException.ThrowIfNull(links);
        var index = new Dictionary<int, int>(spots.Count);
        for (var i = 0; i < spots.Count; i++)
        {
            if (!index.TryAdd(spots[i].Id, i))
            {
                throw new ArgumentException($"Spot id {spots[i].Id} is used twice.", nameof(spots));
            }
        }

        var parent = Enumerable.Range(0, spots.Count).ToArray();
        int Find(int i)
        {
            while (parent[i] != i)
            {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }

            return i;
        }

        var edges = links.ToList();
        foreach (var edge in edges)
        {
            if (!index.TryGetValue(edge.Source, out var a) || !index.TryGetValue(edge.Target, out var b))
            {
                throw new ArgumentException($"The link {edge.Source} → {edge.Target} names a spot that does not exist.", nameof(links));
            }

            parent[Find(a)] = Find(b);
        }

        var tracks = edges.GroupBy(e => Find(index[e.Source]))
            .Select(g => (MinSpot: g.Min(e => Math.Min(e.Source, e.Target)), Edges: g.ToList()))
            .OrderBy(t => t.MinSpot)
            .Select((t, i) => new TrackMateTrack(i, $"Track_{i}", t.Edges))
            .ToList();
        return new TrackMateModel { Spots = spots, Tracks = tracks, ImageData = imageData };
    }
}
