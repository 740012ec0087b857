using System.Text.Json.Nodes;
using CellVision.Core.Geometry;
using CellVision.Core.Volumes;
using CellVision.IO.Zarr.Codecs;

namespace CellVision.IO.Zarr;

/// <summary>Which class probabilities a <see cref="ProbabilityZarr"/> holds.</summary>
public enum ProbabilityChannels
{
    /// <summary>Background, border and centre (channels 0, 1, 2: the model's class order).</summary>
    All,

    /// <summary>The centre probability alone (channel 0), the map nuclei are found in; a third of the size.</summary>
    CentreOnly,
}

/// <summary>One of the three detection classes.</summary>
public enum DetectionClass
{
    /// <summary>Background.</summary>
    Background,

    /// <summary>Nucleus border.</summary>
    Border,

    /// <summary>Nucleus centre.</summary>
    Centre,
}

/// <summary>
/// The predicted class probabilities of a time-lapse in a Zarr v2 array (ELEPHANT's optional <c>seg_outputs.zarr</c>,
/// laid out for viewers): float32, shape (T, C, D, H, W) with C = 3 (background, border, centre) or 1 (centre only),
/// chunks (1, 1, d, h, w), zarr-python 2's default compressor, fill value 0 for timepoints not written yet. The
/// attributes record the axes, the channel names and the voxel size:
/// <c>{"axes": ["t", "c", "z", "y", "x"], "channels": ["background", "border", "centre"], "voxel_size": {"x": …, "y": …, "z": …}, "unit": "micrometer"}</c>.
/// </summary>
/// <example>
/// <code>
/// var output = ProbabilityZarr.Create("probabilities.zarr", timepoints, (depth, height, width), voxelSize);
/// var nuclei = predictor.Detect(frame, probabilitiesReady: p => output.Write(t, p.Background, p.Border, p.Centre));
/// </code>
/// </example>
public sealed class ProbabilityZarr
{
    private static readonly string[] AllNames = ["background", "border", "centre"];

    private ProbabilityZarr(ZarrArray array, ProbabilityChannels channels, VoxelSize voxelSize)
    {
        Array = array;
        Channels = channels;
        VoxelSize = voxelSize;
    }

    /// <summary>The underlying array.</summary>
    public ZarrArray Array { get; }

    /// <summary>The classes stored.</summary>
    public ProbabilityChannels Channels { get; }

    /// <summary>The voxel size recorded in the attributes.</summary>
    public VoxelSize VoxelSize { get; }

    /// <summary>Number of timepoints.</summary>
    public int Timepoints => (int)Array.Shape[0];

    /// <summary>Shape of one frame (Z, Y, X).</summary>
    public (int Depth, int Height, int Width) FrameShape => ((int)Array.Shape[2], (int)Array.Shape[3], (int)Array.Shape[4]);

    /// <summary>Creates the array (metadata and attributes; frames are written by <see cref="Write"/>).</summary>
    /// <param name="path">The array's folder.</param>
    /// <param name="timepoints">Number of timepoints.</param>
    /// <param name="frameShape">Shape of one frame (Z, Y, X).</param>
    /// <param name="voxelSize">The frames' voxel size.</param>
    /// <param name="channels">All three classes (default) or the centre only.</param>
    /// <param name="chunks">Chunk of one channel of one frame (Z, Y, X), clipped to the frame; null for 16 × 256 × 256.</param>
    /// <param name="compressor">Chunk compressor; null for zarr-python 2's default (Blosc LZ4).</param>
    /// <param name="overwrite">Replace an existing array's metadata.</param>
    public static ProbabilityZarr Create(string path, int timepoints, (int Depth, int Height, int Width) frameShape, VoxelSize voxelSize, ProbabilityChannels channels = ProbabilityChannels.All, (int Depth, int Height, int Width)? chunks = null, ZarrCompressor? compressor = null, bool overwrite = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(timepoints, 1);
        if (frameShape.Depth < 1 || frameShape.Height < 1 || frameShape.Width < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(frameShape), frameShape, "Frames need at least one voxel along each axis.");
        }

        voxelSize.Validate();
        if (!Enum.IsDefined(channels))
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "Unknown channel selection.");
        }

        var chunk = chunks ?? (16, 256, 256);
        if (chunk.Depth < 1 || chunk.Height < 1 || chunk.Width < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(chunks), chunks, "Chunks need at least one voxel along each axis.");
        }

        var channelCount = channels == ProbabilityChannels.All ? 3 : 1;
        var array = ZarrArray.Create<float>(
            path,
            [timepoints, channelCount, frameShape.Depth, frameShape.Height, frameShape.Width],
            [1, 1, Math.Min(chunk.Depth, frameShape.Depth), Math.Min(chunk.Height, frameShape.Height), Math.Min(chunk.Width, frameShape.Width)],
            compressor ?? ZarrCompressor.Default,
            overwrite: overwrite);
        array.WriteAttributes(new JsonObject
        {
            ["axes"] = new JsonArray("t", "c", "z", "y", "x"),
            ["channels"] = new JsonArray((channels == ProbabilityChannels.All ? AllNames : ["centre"]).Select(n => (JsonNode?)n).ToArray()),
            ["voxel_size"] = new JsonObject { ["x"] = voxelSize.X, ["y"] = voxelSize.Y, ["z"] = voxelSize.Z },
            ["unit"] = "micrometer",
        });
        return new ProbabilityZarr(array, channels, voxelSize);
    }

    /// <summary>Opens an array written by <see cref="Create"/>.</summary>
    /// <param name="path">The array's folder.</param>
    /// <exception cref="ZarrFormatException">The array is not a probability array.</exception>
    public static ProbabilityZarr Open(string path)
    {
        var array = ZarrArray.Open(path);
        var attributes = array.ReadAttributes();
        var metadata = array.Metadata;
        var names = (attributes["channels"] as JsonArray)?.Select(n => n?.GetValue<string>()).ToArray();
        var channels = names switch
        {
            ["background", "border", "centre"] => ProbabilityChannels.All,
            ["centre"] => ProbabilityChannels.CentreOnly,
            _ => (ProbabilityChannels?)null,
        };
        if (channels is null || metadata.Rank != 5 || metadata.Shape[1] != names!.Length || metadata.DataType != ZarrDataType.Of<float>()
            || attributes["voxel_size"] is not JsonObject voxel)
        {
            throw new ZarrFormatException(path, ".zattrs", "is not a CellVision probability array: expected float32 (T, C, D, H, W) with \"channels\" and \"voxel_size\" attributes.");
        }

        return new ProbabilityZarr(array, channels.Value, new VoxelSize(voxel["x"]!.GetValue<double>(), voxel["y"]!.GetValue<double>(), voxel["z"]!.GetValue<double>()));
    }

    /// <summary>Writes the probabilities of one timepoint (the stored channels only).</summary>
    /// <param name="timepoint">The timepoint.</param>
    /// <param name="background">The background probability of the frame (not stored when the array holds the centre only).</param>
    /// <param name="border">The border probability of the frame (likewise).</param>
    /// <param name="centre">The centre probability of the frame.</param>
    /// <param name="cancellationToken">Stops between chunks.</param>
    public void Write(int timepoint, Volume<float> background, Volume<float> border, Volume<float> centre, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(background);
        ArgumentNullException.ThrowIfNull(border);
        ArgumentNullException.ThrowIfNull(centre);
        CheckTimepoint(timepoint);
        var shape = FrameShape;
        foreach (var (volume, name) in new[] { (background, nameof(background)), (border, nameof(border)), (centre, nameof(centre)) })
        {
            if ((volume.Depth, volume.Height, volume.Width) != shape)
            {
                throw new ArgumentException($"The probabilities are {volume.Depth}×{volume.Height}×{volume.Width}; the array holds {shape.Depth}×{shape.Height}×{shape.Width} frames.", name);
            }
        }

        Volume<float>[] volumes = Channels == ProbabilityChannels.All ? [background, border, centre] : [centre];
        for (var c = 0; c < volumes.Length; c++)
        {
            Array.Write<float>(Region(timepoint, c), volumes[c].Span, cancellationToken: cancellationToken);
        }
    }

    /// <summary>Reads one class probability of one timepoint (0 where nothing was written).</summary>
    /// <param name="timepoint">The timepoint.</param>
    /// <param name="detectionClass">The class; only <see cref="DetectionClass.Centre"/> when the array holds the centre only.</param>
    /// <param name="cancellationToken">Stops between chunks.</param>
    public Volume<float> Read(int timepoint, DetectionClass detectionClass = DetectionClass.Centre, CancellationToken cancellationToken = default)
    {
        CheckTimepoint(timepoint);
        var channel = Channels == ProbabilityChannels.All ? (int)detectionClass
            : detectionClass == DetectionClass.Centre ? 0
            : throw new ArgumentException($"The array holds the centre probability only, not {detectionClass}.", nameof(detectionClass));
        var shape = FrameShape;
        var volume = new Volume<float>(shape.Depth, shape.Height, shape.Width, VoxelSize);
        try
        {
            Array.Read<float>(Region(timepoint, channel), volume.Span, cancellationToken: cancellationToken);
            return volume;
        }
        catch
        {
            volume.Dispose();
            throw;
        }
    }

    private Box Region(int timepoint, int channel)
    {
        var shape = FrameShape;
        return new Box([timepoint, channel, 0, 0, 0], [1, 1, shape.Depth, shape.Height, shape.Width]);
    }

    private void CheckTimepoint(int timepoint)
    {
        if ((uint)timepoint >= (uint)Timepoints)
        {
            throw new ArgumentOutOfRangeException(nameof(timepoint), timepoint, $"The array holds timepoints 0 to {Timepoints - 1}.");
        }
    }
}
