using System.CommandLine;
using CellVision.Tracking;

namespace CellVision.Benchmarks.Commands;

/// <summary><c>gnn-astec</c>: <see cref="GnnAstec"/>.</summary>
internal static class GnnAstecCommand
{
    internal static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Folder of one sub-folder per embryo (spots.csv, links.csv)", DefaultValueFactory = _ => "../shared/data/astec-phallusia-lineages/derived" };
        var train = new Option<string>("--train") { Description = "Comma-separated embryos to train on", DefaultValueFactory = _ => "Pm02,Pm03,Pm04" };
        var track = new Option<string>("--track") { Description = "Comma-separated embryos to relink", DefaultValueFactory = _ => "Pm05" };
        var epochs = new Option<int>("--epochs") { Description = "Most training epochs", DefaultValueFactory = _ => 60 }.AtLeast(1);
        var patience = new Option<int>("--patience") { Description = "Epochs without a better validation accuracy before training stops", DefaultValueFactory = _ => 15 }.AtLeast(1);
        var gate = new Option<string>("--gate") { Description = "Candidate gate: box (the reference's, per axis) or radius (a physical ball)", DefaultValueFactory = _ => "radius" };
        gate.AcceptOnlyFromAmong("box", "radius");
        var multiplier = new Option<double>("--roi-multiplier") { Description = "Gate size in units of the largest spot's extent (when no --radius is given)", DefaultValueFactory = _ => 2 };
        var radius = new Option<double?>("--radius") { Description = "Radius of the radius gate in µm (the longest true links of the training embryos, 99.9th percentile, are 49-69 µm)", DefaultValueFactory = _ => 70 };
        var seed = new Option<int>("--seed") { Description = "Seed of the initial weights, dropout and batch order", DefaultValueFactory = _ => 1 };
        var divisions = new Option<bool>("--division-labels") { Description = "Train with mother→daughter links as positives (the reference labels them negative)" };
        var divisionCost = new Option<double>("--division-cost") { Description = "The global decoder's cost of a division", DefaultValueFactory = _ => new GlobalDecoderOptions().DivisionCost };
        var divisionModel = new Option<string>("--divisions") { Description = "How the global decoder prices a division: midpoint or two-edges", DefaultValueFactory = _ => "midpoint" };
        divisionModel.AcceptOnlyFromAmong("midpoint", "two-edges");
        var midpointWeight = new Option<double>("--midpoint-weight") { Description = "Nats per unit of the mother's distance to her daughters' midpoint over their separation", DefaultValueFactory = _ => new GlobalDecoderOptions().MidpointWeight };
        var weights = new Option<string?>("--weights") { Description = "Relink with these weights (an earlier --model) instead of training", HelpName = "FILE" };
        var model = new Option<string?>("--model") { Description = "Save the trained weights here (.pth)", HelpName = "FILE" };
        var scores = new Option<string?>("--scores") { Description = "Write each tracked embryo's candidate-link probabilities to DIR/EMBRYO-scores.csv", HelpName = "DIR" };
        var command = new Command("gnn-astec", "GNN tracker, geometry only, on ASTEC embryo lineages: train on some, relink another; beside nearest-parent and nearest-neighbour linking")
        {
            data, train, track, epochs, patience, gate, multiplier, radius, divisions, divisionCost, divisionModel, midpointWeight, seed, weights, model, scores,
        };
        command.SetAction(result =>
        {
            var options = new GnnTrackerOptions
            {
                MaxEpochs = result.GetValue(epochs),
                Patience = result.GetValue(patience),
                Seed = result.GetValue(seed),
                Decoding = new GnnDecodingOptions { Global = new GlobalDecoderOptions
                {
                    DivisionCost = result.GetValue(divisionCost),
                    Divisions = result.GetValue(divisionModel) == "two-edges" ? DivisionModel.TwoEdges : DivisionModel.Midpoint,
                    MidpointWeight = result.GetValue(midpointWeight),
                },
                },
                Graph = new CandidateGraphOptions
                {
                    Features = NodeFeatureSet.Geometry,
                    Gate = result.GetValue(gate) == "radius" ? CandidateGate.Radius : CandidateGate.Box,
                    RoiMultiplier = result.GetValue(multiplier),
                    Radius = result.GetValue(radius),
                    PositiveDivisionLinks = result.GetValue(divisions),
                },
            };
            return GnnAstec.Run(result.GetValue(data)!, Split(result.GetValue(train)!), Split(result.GetValue(track)!), options, result.GetValue(model), result.GetValue(weights), result.GetValue(scores));
        });
        return command;
    }

    private static string[] Split(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
