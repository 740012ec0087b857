using CellVision.Core.Synthetic;
using CellVision.IO.Movies;

namespace CellVision.Cli.Demo;

/// <summary>Settings of the demo run.</summary>
internal sealed record DemoOptions
{
    /// <summary>Where the data, the results and the report go.</summary>
    public required string OutputFolder { get; init; }

    /// <summary>A smaller, faster movie (for continuous integration).</summary>
    public bool Small { get; init; }

    /// <summary>Seed of the movie and of the networks.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Nuclei annotated (tagged true positive) at the first timepoint to train the detector.</summary>
    public int AnnotatedNuclei { get; init; } = 6;

    /// <summary>Detector training epochs (each of <see cref="CropsPerEpoch"/> crops).</summary>
    public int? Epochs { get; init; }

    /// <summary>Training crops per epoch.</summary>
    public int CropsPerEpoch { get; init; } = 4;

    /// <summary>Training crop size (Z, Y, X); small crops keep the 5.9-million-parameter U-Net quick on a laptop CPU.</summary>
    public (int Depth, int Height, int Width) CropSize { get; init; } = (8, 32, 32);

    /// <summary>Smallest nucleus radius kept by detection, in µm: a user sets it a little below the smallest nucleus they expect.</summary>
    public double MinimumRadius { get; init; } = 2.0;

    /// <summary>Centre probability a voxel must exceed to be part of a nucleus centre (ELEPHANT's default is 0.5; a detector trained for a minute is less sure, so the demo asks for more).</summary>
    public double ProbabilityThreshold { get; init; } = 0.7;

    /// <summary>Frame pairs at the start of the movie whose links a person approved; the flow model trains on them.</summary>
    public int ApprovedTransitions { get; init; } = 2;

    /// <summary>Flow training epochs (each of <see cref="CropsPerEpoch"/> crops per approved pair).</summary>
    public int? FlowEpochs { get; init; }

    /// <summary>Nearest-neighbour linking search radius in µm (ELEPHANT's default 5.0).</summary>
    public double LinkingThreshold { get; init; } = 5.0;

    /// <summary>The synthetic movie's settings for this run: 1 µm planes, so that a nucleus spans several planes as ELEPHANT's detector needs.</summary>
    public SyntheticTimeLapseOptions Movie => Small
        ? new SyntheticTimeLapseOptions { Timepoints = 5, Depth = 16, Height = 64, Width = 64, VoxelSize = new(0.5, 0.5, 1.0), InitialNuclei = 6, Seed = Seed }
        : new SyntheticTimeLapseOptions { Timepoints = 10, Depth = 24, Height = 96, Width = 96, VoxelSize = new(0.5, 0.5, 1.0), InitialNuclei = 10, Seed = Seed };

    /// <summary>The number of epochs actually used.</summary>
    public int EffectiveEpochs => Epochs ?? (Small ? 20 : 30);

    /// <summary>The number of flow epochs actually used.</summary>
    public int EffectiveFlowEpochs => FlowEpochs ?? 2;
}
