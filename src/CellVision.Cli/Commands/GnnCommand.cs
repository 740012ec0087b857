using System.CommandLine;
using System.Globalization;
using CellVision.Tracking;
using Spectre.Console;

namespace CellVision.Cli.Commands;

/// <summary><c>cellvision gnn train|track</c>: the GNN cell tracker (Ben-Haim &amp; Riklin-Raviv) on Cell Tracking Challenge folders.</summary>
internal static class GnnCommand
{
    internal static Command Create(CommandContext context)
    {
        var command = new Command("gnn", "Track cells with a graph neural network that classifies candidate links (cell-tracker-gnn), trained on Cell Tracking Challenge ground truth");
        command.Subcommands.Add(Train(context));
        command.Subcommands.Add(Track(context));
        return command;
    }

    private static Command Train(CommandContext context)
    {
        var data = new Option<string>("--data") { Description = "Folder holding the CTC sequences: NN/ (raw tNNN.tif) and NN_GT/TRA (man_trackNNN.tif)", Required = true };
        var sequences = new Option<string>("--sequences") { Description = "Sequences to train on, e.g. 01 or 01,02", DefaultValueFactory = _ => "01" };
        var model = new Option<string>("--model") { Description = "Where to save the best epoch's weights (.pth, the reference's keys); the last epoch's go beside it as NAME-last.pth", Required = true };
        var epochs = new Option<int>("--epochs") { Description = "Most epochs (training stops earlier after 50 without a better validation accuracy)", DefaultValueFactory = _ => 500 };
        var patience = new Option<int>("--patience") { Description = "Epochs without a better validation accuracy before training stops", DefaultValueFactory = _ => 50 };
        var frames = new Option<string?>("--frames") { Description = "First and last frame number used, e.g. 0-39 [default: all]" };
        var features = new Option<string>("--features") { Description = "Node features: embedding (the reference: hand-crafted plus a learned 128-d embedding of each cell's patch), handcrafted (from the images) or geometry (positions and sizes only)", DefaultValueFactory = _ => "embedding" };
        features.AcceptOnlyFromAmong("embedding", "handcrafted", "geometry");
        var embeddingModel = new Option<string?>("--embedding-model") { Description = "An all_params.pth to use for --features embedding instead of training one [default: train it first]" };
        var embeddingEpochs = new Option<int>("--embedding-epochs") { Description = "Epochs of the metric-learning training (the reference: 1000, keeping the best validation MAP@R)", DefaultValueFactory = _ => 1000 };
        var embeddingPatience = new Option<int>("--embedding-patience") { Description = "Stop the metric-learning training after this many epochs without a better validation MAP@R; 0 runs every epoch as the reference does (hours on a CPU)", DefaultValueFactory = _ => 50 };
        var seed = new Option<int?>("--seed") { Description = "Seed of the initial weights, dropout and batch order: the same seed gives the same weights" };
        var command = new Command("train", "Train the GNN tracker on CTC sequences, the ground-truth masks standing in for the segmentation; with --features embedding the metric-learning model is trained first and saved beside the weights as NAME-embedding.pth (the reference's all_params.pth)")
        {
            data, sequences, model, epochs, patience, frames, features, embeddingModel, embeddingEpochs, embeddingPatience, seed,
        };
        command.SetAction(result => context.Guard(() =>
        {
            TorchThreads.UseAvailableCores();
            if (result.GetValue(epochs) < 1 || result.GetValue(patience) < 1 || result.GetValue(embeddingEpochs) < 1 || result.GetValue(embeddingPatience) < 0)
            {
                return context.Fail("--epochs, --patience and --embedding-epochs must be at least 1, --embedding-patience at least 0.");
            }

            var folders = result.GetValue(sequences)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(s => Path.Combine(result.GetValue(data)!, s)).ToList();
            var path = result.GetValue(model)!;
            var range = result.GetValue(frames) is { } text ? DetectCommand.Range(text, int.MaxValue) : ((int, int)?)null;
            var cv = new CellVisionContext();
            var embedded = result.GetValue(features) == "embedding";
            var embeddingPath = GnnEmbeddingOptions.BesideWeights(path);
            if (embedded && result.GetValue(embeddingModel) is null)
            {
                // Trained here, as its own step, so that its epochs are shown; the GNN then reads the saved model.
                var training = new CellEmbeddingTrainingOptions
                {
                    MaxEpochs = result.GetValue(embeddingEpochs),
                    Patience = result.GetValue(embeddingPatience) is > 0 and var p ? p : null,
                    Seed = result.GetValue(seed),
                };
                var embeddingProgress = new SynchronousProgress<CellEmbeddingEpoch>(e => context.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"embedding epoch {e.Epoch}: loss {e.TrainingLoss:F4}, validation MAP@R {e.ValidationMapAtR:F4}")));
                using var trained = cv.Tracking.TrainCellEmbedding(folders, training, range, embeddingProgress, context.CancellationToken);
                trained.Save(embeddingPath);
                context.Console.WriteLine($"embedding: best epoch {trained.LastTraining!.BestEpoch} of {trained.LastTraining.Epochs.Count} saved to {embeddingPath}");
            }

            var options = new GnnTrackerOptions
            {
                MaxEpochs = result.GetValue(epochs),
                Patience = result.GetValue(patience),
                Seed = result.GetValue(seed),
                Graph = new CandidateGraphOptions { Features = result.GetValue(features) == "geometry" ? NodeFeatureSet.Geometry : NodeFeatureSet.HandCrafted },
                Embedding = embedded ? new GnnEmbeddingOptions { ModelPath = result.GetValue(embeddingModel) ?? embeddingPath } : null,
            };
            var progress = new SynchronousProgress<GnnEpoch>(e => context.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"epoch {e.Epoch}: loss {e.TrainingLoss:F4}, validation loss {e.ValidationLoss:F4}, accuracy {e.ValidationAccuracy:F4}")));
            using var tracker = cv.Tracking.TrainGnn(folders, options, range, progress, context.CancellationToken);
            tracker.SaveWeights(path);
            if (result.GetValue(embeddingModel) is not null)
            {
                // A given embedding model is kept beside the weights too, where gnn track looks for it.
                tracker.EmbeddingModel!.Save(embeddingPath);
            }

            var last = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, Path.GetFileNameWithoutExtension(path) + "-last" + Path.GetExtension(path));
            tracker.SaveLastEpochWeights(last);
            context.Console.WriteLine($"best epoch {tracker.LastTraining!.BestEpoch} of {tracker.LastTraining.Epochs.Count}: weights saved to {path}, the last epoch's to {last}");
            return 0;
        }));
        return command;
    }

    private static Command Track(CommandContext context)
    {
        var images = new Option<string>("--images") { Description = "The raw frames, tNNN.tif (a CTC sequence folder NN)", Required = true };
        var masks = new Option<string>("--masks") { Description = "One instance-label TIFF per frame: maskNNN.tif, man_trackNNN.tif or man_segNNN.tif", Required = true };
        var model = new Option<string>("--model") { Description = "Weights from cellvision gnn train", Required = true };
        var output = new Option<string>("--out") { Description = "The result folder to write (maskNNN.tif and res_track.txt), e.g. DIR/01_RES", Required = true };
        var decoder = new Option<string>("--decoder") { Description = "global: an exact assignment, at most one parent and two children per cell; reference: cell-tracker-gnn's post-processing", DefaultValueFactory = _ => "global" };
        decoder.AcceptOnlyFromAmong("global", "reference");
        var divisions = new Option<string>("--divisions") { Description = "How the global decoder prices a division: midpoint (by where the mother sits between her daughters) or two-edges (by the daughters' edges)", DefaultValueFactory = _ => "midpoint" };
        divisions.AcceptOnlyFromAmong("midpoint", "two-edges");
        var features = new Option<string>("--features") { Description = "Node features the model was trained on: embedding, handcrafted or geometry (whether the weights read an embedding is seen from the file)", DefaultValueFactory = _ => "embedding" };
        features.AcceptOnlyFromAmong("embedding", "handcrafted", "geometry");
        var embeddingModel = new Option<string?>("--embedding-model") { Description = "The all_params.pth of a model trained with the embedding [default: NAME-embedding.pth beside --model]" };
        var lineage = new Option<string?>("--lineage") { Description = "Also save the tracks as a lineage: TrackMate XML (.xml, opens in Fiji and Mastodon) or the lineage CSV (.csv)", HelpName = "FILE" };
        var command = new Command("track", "Track the cells of an instance segmentation with a trained GNN and write a CTC result folder")
        {
            images, masks, model, output, decoder, divisions, features, embeddingModel, lineage,
        };
        command.SetAction(result => context.Guard(() =>
        {
            TorchThreads.UseAvailableCores();
            var options = new GnnTrackerOptions
            {
                Graph = new CandidateGraphOptions { Features = result.GetValue(features) == "geometry" ? NodeFeatureSet.Geometry : NodeFeatureSet.HandCrafted },
                Decoding = new GnnDecodingOptions
                {
                    Decoder = result.GetValue(decoder) == "reference" ? GnnDecoder.Reference : GnnDecoder.Global,
                    Global = new GlobalDecoderOptions { Divisions = result.GetValue(divisions) == "two-edges" ? DivisionModel.TwoEdges : DivisionModel.Midpoint },
                },
                Embedding = new GnnEmbeddingOptions { ModelPath = result.GetValue(embeddingModel) },
            };
            var cv = new CellVisionContext();
            using var tracker = cv.Tracking.LoadGnn(result.GetValue(model)!, options);
            var tracks = cv.Tracking.TrackGnn(tracker, result.GetValue(images)!, result.GetValue(masks)!, result.GetValue(output)!, cancellationToken: context.CancellationToken);
            context.Console.WriteLine($"{tracks.Tracks.Count} tracks, {tracks.Graph.SpotCount} cells, {tracks.Graph.LinkCount} links written to {result.GetValue(output)}");
            if (result.GetValue(lineage) is { } lineagePath)
            {
                foreach (var written in cv.Lineages.Save(tracks.Graph, lineagePath))
                {
                    context.Console.WriteLine($"lineage written to {written}");
                }
            }

            return 0;
        }));
        return command;
    }
}
