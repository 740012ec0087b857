using CellVision.Core.Annotations;
using CellVision.Core.Synthetic;
using CellVision.Networks;
using CellVision.Tracking;

namespace CellVision.Cli.Demo;

/// <summary>Trains ELEPHANT's flow model from a few approved links and links detections with and without it.</summary>
internal sealed class DemoTracker(DemoOptions options, CellVisionContext context) : IDisposable
{
    private FlowUNet? model;

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
        var trainingOptions = new FlowTrainingOptions
        {
            CropSize = (Math.Min(options.CropSize.Depth, first.Depth), Math.Min(options.CropSize.Height, first.Height), Math.Min(options.CropSize.Width, first.Width)),
            CropsPerTimepoint = options.CropsPerEpoch, Epochs = options.EffectiveFlowEpochs,
        };
        var losses = new List<double>();
        var epochs = new EpochProgress(trainingOptions.Epochs, (epoch, loss) =>
        {
            losses.Add(loss);
            epochDone(epoch, loss);
        });
        model = context.Tracking.TrainFlow(movie.Images, movie.Truth, trainingOptions, epochs, cancellationToken);
        return losses;
    }

    /// <summary>Links a copy of the detections with ELEPHANT's nearest-neighbour linking, optionally flow-corrected.</summary>
    internal LineageGraph Link(LineageGraph detections, SyntheticTimeLapse movie, bool withFlow, CancellationToken cancellationToken)
    {
        var graph = detections.Clone();
        var first = movie.Images[0];
        var motion = withFlow && model is not null
            ? context.Tracking.Flow(model, movie.Images, new FlowPredictionOptions { PatchSize = (first.Depth, first.Height, first.Width) })
            : null;
        context.Tracking.Link(graph, new NearestNeighborLinkingOptions { DistanceThreshold = options.LinkingThreshold }, motion, cancellationToken: cancellationToken);
        return graph;
    }

    public void Dispose() => model?.Dispose();

    /// <summary>Turns the step reports of training into one call per finished epoch with its mean loss.</summary>
    private sealed class EpochProgress(int epochs, Action<int, double> epochDone) : IProgress<TrainingProgress>
    {
        private double sum;
        private int counted;

        public void Report(TrainingProgress value)
        {
            if (!double.IsNaN(value.Loss))
            {
                sum += value.Loss;
                counted++;
            }

            if (value.Step == value.StepsPerEpoch - 1 && value.Epoch < epochs)
            {
                epochDone(value.Epoch + 1, counted == 0 ? double.NaN : sum / counted);
                (sum, counted) = (0, 0);
            }
        }
    }
}
