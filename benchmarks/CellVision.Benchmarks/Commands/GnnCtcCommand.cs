using System.CommandLine;
using CellVision.Tracking;

namespace CellVision.Benchmarks.Commands;

/// <summary><c>gnn-ctc</c>: <see cref="GnnCtc"/>.</summary>
internal static class GnnCtcCommand
{
    internal static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Folder holding the CTC sequence NN/ (raw tNNN.tif) and NN_GT/TRA", DefaultValueFactory = _ => "../shared/data/ctc-fluo-n2dh-sim-01" };
        var sequence = new Option<string>("--sequence") { Description = "The sequence", DefaultValueFactory = _ => "01" };
        var train = new Option<string>("--train-frames") { Description = "Frames to train on, first-last", DefaultValueFactory = _ => "0-39" };
        var track = new Option<string>("--track-frames") { Description = "Frames to track and score, first-last", DefaultValueFactory = _ => "40-64" };
        var epochs = new Option<int>("--epochs") { Description = "Most training epochs", DefaultValueFactory = _ => 500 }.AtLeast(1);
        var patience = new Option<int>("--patience") { Description = "Epochs without a better validation accuracy before training stops", DefaultValueFactory = _ => 50 }.AtLeast(1);
        var seed = new Option<int>("--seed") { Description = "Seed of the initial weights, dropout and batch order", DefaultValueFactory = _ => 1 };
        var threshold = new Option<double>("--nn-threshold") { Description = "Distance threshold (pixels) of the nearest-neighbour baseline, besides the median cell spacing", DefaultValueFactory = _ => 20 };
        var features = new Option<string>("--features") { Description = "Node features: handcrafted, or embedding (hand-crafted plus the metric-learning embedding, trained first)", DefaultValueFactory = _ => "handcrafted" };
        features.AcceptOnlyFromAmong("handcrafted", "embedding");
        var embeddingEpochs = new Option<int>("--embedding-epochs") { Description = "Epochs of the metric-learning embedding (with --features embedding)", DefaultValueFactory = _ => 30 }.AtLeast(1);
        var divisionModel = new Option<string>("--divisions") { Description = "How the global decoder prices a division: midpoint or two-edges", DefaultValueFactory = _ => "midpoint" };
        divisionModel.AcceptOnlyFromAmong("midpoint", "two-edges");
        var divisionCost = new Option<double>("--division-cost") { Description = "The global decoder's cost of a division", DefaultValueFactory = _ => new GlobalDecoderOptions().DivisionCost };
        var midpointWeight = new Option<double>("--midpoint-weight") { Description = "Nats per unit of the mother's distance to her daughters' midpoint over their separation", DefaultValueFactory = _ => new GlobalDecoderOptions().MidpointWeight };
        var weights = new Option<string?>("--weights") { Description = "Track with these weights (from gnn train or an earlier --keep) instead of training", HelpName = "FILE" };
        var keep = new Option<string?>("--keep") { Description = "Write the model, the subset and the result folders here and keep them [default: a temporary folder, removed]", HelpName = "DIR" };
        var command = new Command("gnn-ctc", "GNN tracker on a CTC sequence with ground-truth masks as detections: train on some frames, track others; CTC measures and division recall beside nearest-neighbour linking")
        {
            data, sequence, train, track, epochs, patience, seed, threshold, features, embeddingEpochs, divisionModel, divisionCost, midpointWeight, weights, keep,
        };
        command.SetAction(result =>
        {
            var options = new GnnTrackerOptions
            {
                MaxEpochs = result.GetValue(epochs),
                Patience = result.GetValue(patience),
                Seed = result.GetValue(seed),
                Embedding = result.GetValue(features) == "embedding"
                    ? new GnnEmbeddingOptions { Training = new CellEmbeddingTrainingOptions { MaxEpochs = result.GetValue(embeddingEpochs) } }
                    : null,
                Decoding = new GnnDecodingOptions
                {
                    Global = new GlobalDecoderOptions
                    {
                        Divisions = result.GetValue(divisionModel) == "two-edges" ? DivisionModel.TwoEdges : DivisionModel.Midpoint,
                        DivisionCost = result.GetValue(divisionCost),
                        MidpointWeight = result.GetValue(midpointWeight),
                    },
                },
            };
            return GnnCtc.Run(result.GetValue(data)!, result.GetValue(sequence)!, Range(result.GetValue(train)!), Range(result.GetValue(track)!), options, result.GetValue(threshold), result.GetValue(keep), result.GetValue(weights));
        });
        return command;
    }

    private static (int First, int Last) Range(string text)
    {
        var parts = text.Split('-');
        return parts.Length == 2 && int.TryParse(parts[0], out var first) && int.TryParse(parts[1], out var last) && first <= last
            ? (first, last)
            : throw new ArgumentException($"'{text}' is not a frame range first-last.");
    }
}
