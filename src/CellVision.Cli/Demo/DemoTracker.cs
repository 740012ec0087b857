using CellVision.Cli.Commands;
using CellVision.Core.Annotations;
using CellVision.Core.Synthetic;
using CellVision.Core.Volumes;
using CellVision.Detection;
using CellVision.Networks;
using CellVision.Tracking;

namespace CellVision.Cli.Demo;

/// <summary>Trains ELEPHANT's flow model from a few approved links and links detections with and without it.</summary>
internal sealed class DemoTracker(DemoOptions options) : IDisposable
{
    private readonly FlowUNet model = new();

    /// <summary>
    /// A person approves the links of the first <see cref="DemoOptions.ApprovedTransitions"/> frame pairs (here taken
    /// from the truth, as a careful proofreader would leave them); the flow model learns from those pairs only.
    /// </summary>
    internal IReadOnlyList<double> TrainFlow(SyntheticTimeLapse movie, Action<int, double> epochDone, CancellationToken cancellationToken)
    {
        var approved = Math.Min(options.ApprovedTransitions, movie.Images.Count - 1);
        foreach (var link in movie.Truth.Links.Where(l => l.Source.Timepoint < approved))
        {
            link.TrackingTag = TrackingTag.Approved;
        }

        var first = movie.Images[0];
        var keepAxials = KeepAxials.FromVoxelSize(first.VoxelSize);
        var normFactor = FlowNormFactor.FromKeepAxials(keepAxials);
        var pairs = new List<FlowTrainingPair>();
        try
        {
            for (var t = 0; t < approved; t++)
            {
                var label = FlowLabelGenerator.Generate(movie.Truth, t, (first.Depth, first.Height, first.Width), first.VoxelSize, normFactor);
                pairs.Add(new FlowTrainingPair(Normalization.MinMaxToUnit(movie.Images[t]), Normalization.MinMaxToUnit(movie.Images[t + 1]), label));
            }

            var crop = (Math.Min(options.CropSize.Depth, first.Depth), Math.Min(options.CropSize.Height, first.Height), Math.Min(options.CropSize.Width, first.Width));
            var trainingOptions = new FlowTrainingOptions
            {
                CropSize = crop, CropsPerTimepoint = options.CropsPerEpoch, Epochs = options.EffectiveFlowEpochs, Seed = options.Seed,
            };
            using var trainer = new FlowTrainer(model, keepAxials, trainingOptions);
            trainer.ModelUpdated += (_, e) => epochDone(e.Epoch, e.MeanLoss);
            return trainer.Train(pairs, cancellationToken: cancellationToken);
        }
        finally
        {
            foreach (var pair in pairs)
            {
                pair.Current.Dispose();
                pair.Next.Dispose();
                pair.Label.Dispose();
            }
        }
    }

    /// <summary>Links a copy of the detections with ELEPHANT's nearest-neighbour linking, optionally flow-corrected.</summary>
    internal LineageGraph Link(LineageGraph detections, SyntheticTimeLapse movie, bool withFlow, CancellationToken cancellationToken)
    {
        var graph = Copy(detections);
        var first = movie.Images[0];
        var estimator = withFlow
            ? new FlowPredictor(model, KeepAxials.FromVoxelSize(first.VoxelSize), t => Normalization.MinMaxToUnit(movie.Images[t]),
                new FlowPredictionOptions { PatchSize = (first.Depth, first.Height, first.Width) })
            : null;
        var linker = new NearestNeighborLinker(new NearestNeighborLinkingOptions { DistanceThreshold = options.LinkingThreshold }, estimator);
        linker.LinkAll(graph, cancellationToken: cancellationToken);
        return graph;
    }

    public void Dispose() => model.Dispose();

    private static LineageGraph Copy(LineageGraph source)
    {
        var copy = new LineageGraph();
        var map = new Dictionary<Spot, Spot>();
        foreach (var spot in source.Spots.OrderBy(s => s.Id))
        {
            var added = copy.AddSpot(spot.Timepoint, spot.X, spot.Y, spot.Z, spot.Covariance);
            added.Quality = spot.Quality;
            added.DetectionTag = spot.DetectionTag;
            map[spot] = added;
        }

        foreach (var link in source.Links)
        {
            copy.AddLink(map[link.Source], map[link.Target], link.TrackingTag);
        }

        return copy;
    }
}
