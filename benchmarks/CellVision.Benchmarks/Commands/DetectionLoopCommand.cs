using System.CommandLine;
using CellVision.Detection;

namespace CellVision.Benchmarks.Commands;

/// <summary><c>detection-loop</c>: <see cref="DetectionLoop"/>.</summary>
internal static class DetectionLoopCommand
{
    internal static Command Create()
    {
        var data = new Option<string>("--data") { Description = "plantseg (the ovule crop, one frame) or demo (the demo's synthetic 10-frame movie)", DefaultValueFactory = _ => "plantseg" };
        data.AcceptOnlyFromAmong("plantseg", "demo");
        var folder = new Option<string>("--plantseg") { Description = "Folder of the ovule crop's raw and label TIFFs", DefaultValueFactory = _ => "../shared/data/plantseg-ovule-mini/derived" };
        var nuclei = new Option<int>("--nuclei") { Description = "Nuclei annotated before the first training", DefaultValueFactory = _ => 10 }.AtLeast(1);
        var rounds = new Option<int>("--rounds") { Description = "Proofreading rounds after the first prediction", DefaultValueFactory = _ => 5 }.AtLeast(0);
        var initialEpochs = new Option<int>("--initial-epochs") { Description = "Epochs of the first training", DefaultValueFactory = _ => 10 }.AtLeast(1);
        var roundEpochs = new Option<int>("--round-epochs") { Description = "Epochs of each retraining", DefaultValueFactory = _ => 3 }.AtLeast(1);
        var crops = new Option<int>("--crops") { Description = "Training crops per timepoint and epoch", DefaultValueFactory = _ => 10 }.AtLeast(1);
        var crop = SizeList.Option("--crop", "D,H,W", "Training crop", 32, 64, 64);
        var learningRate = new Option<double>("--lr") { Description = "Adam learning rate", DefaultValueFactory = _ => 0.001 };
        var roundLearningRate = new Option<double?>("--round-lr") { Description = "Adam learning rate of the retrainings [default: --lr]" };
        var falseWeight = new Option<double>("--false-weight") { Description = "Weight of the fn/fp/fb labels", DefaultValueFactory = _ => 10 };
        var suppression = new Option<double>("--suppression") { Description = "Suppression distance (µm) of the merge into the annotations", DefaultValueFactory = _ => 1.0 };
        var threshold = new Option<double>("--threshold") { Description = "Centre probability threshold", DefaultValueFactory = _ => 0.5 };
        var minimumRadius = new Option<double>("--rmin") { Description = "Smallest radius a detection keeps (µm)", DefaultValueFactory = _ => 0.5 };
        var flips = new Option<bool>("--flips") { Description = "Average predictions over the eight mirror images" };
        var pad = new Option<bool>("--no-pad") { Description = "Predict without replicate padding of the frame" };
        var scale = new Option<double>("--scale") { Description = "Scale augmentation", DefaultValueFactory = _ => 0 };
        var contrast = new Option<double>("--contrast") { Description = "Contrast augmentation", DefaultValueFactory = _ => 0 };
        var budget = new Option<int>("--budget") { Description = "Corrections (fp tags + fn additions) per round and timepoint", DefaultValueFactory = _ => 10 }.AtLeast(0);
        var approvals = new Option<int>("--approvals") { Description = "Correct detections approved (tp) per round and timepoint", DefaultValueFactory = _ => 10 }.AtLeast(0);
        var fpOrder = new Option<ProofreadingOrder>("--fp-order") { Description = "Which false positives are tagged first", DefaultValueFactory = _ => ProofreadingOrder.MostConfidentFirst };
        var approvalOrder = new Option<ProofreadingOrder>("--approval-order") { Description = "Which correct detections are approved first", DefaultValueFactory = _ => ProofreadingOrder.LeastConfidentFirst };
        var missedOrder = new Option<MissedNucleusOrder>("--missed-order") { Description = "Which missed nuclei are added first", DefaultValueFactory = _ => MissedNucleusOrder.LargestFirst };
        var seed = new Option<int>("--seed") { Description = "Seed of libtorch, the crops and the proofreader", DefaultValueFactory = _ => 0 }.AtLeast(0);
        var threads = CommonSymbols.TorchThreadsOption();
        var live = new Option<int>("--live-updates") { Description = "Label updates timed in live mode on the final model (update to model updated)", DefaultValueFactory = _ => 3 }.AtLeast(0);
        var visible = new Option<double>("--visible-fraction") { Description = "Missed pieces holding less than this fraction of the median instance's voxels are left (their centre is out of view); 0 adds every piece", DefaultValueFactory = _ => 0.5 };
        var split = new Option<bool>("--split") { Description = "plantseg only: run the loop on z < 50 and score the untouched z >= 50 half after each round" };
        var initial = new Option<string?>("--initial") { Description = "Weights of the first training: loaded if the file exists (no first training), else saved there", HelpName = "PATH" };
        var csv = new Option<string?>("--csv") { Description = "Write the per-round table here, and an SVG figure beside it", HelpName = "PATH" };
        var command = new Command("detection-loop", "ELEPHANT's incremental loop with a simulated proofreader: annotate a few nuclei, train, then rounds of predict, correct, retrain; F1 and seconds per round")
        {
            data, folder, nuclei, rounds, initialEpochs, roundEpochs, crops, crop, learningRate, roundLearningRate, falseWeight, suppression, threshold, minimumRadius, flips, pad, scale, contrast,
            budget, approvals, fpOrder, approvalOrder, missedOrder, seed, threads, live, visible, split, initial, csv,
        };
        command.SetAction(result => DetectionLoop.Run(new DetectionLoopSettings
        {
            Data = result.GetValue(data)!,
            PlantSegFolder = result.GetValue(folder)!,
            Nuclei = result.GetValue(nuclei),
            Rounds = result.GetValue(rounds),
            InitialEpochs = result.GetValue(initialEpochs),
            RoundEpochs = result.GetValue(roundEpochs),
            Crops = result.GetValue(crops),
            Crop = result.GetValue(crop)!.Values,
            LearningRate = result.GetValue(learningRate),
            RoundLearningRate = result.GetValue(roundLearningRate),
            FalseWeight = result.GetValue(falseWeight),
            Suppression = result.GetValue(suppression),
            Threshold = result.GetValue(threshold),
            MinimumRadius = result.GetValue(minimumRadius),
            Flips = result.GetValue(flips),
            Pad = !result.GetValue(pad),
            Scale = result.GetValue(scale),
            Contrast = result.GetValue(contrast),
            Proofreading = new ProofreadingOptions
            {
                CorrectionsPerRound = result.GetValue(budget), ApprovalsPerRound = result.GetValue(approvals),
                FalsePositiveOrder = result.GetValue(fpOrder), ApprovalOrder = result.GetValue(approvalOrder), MissedOrder = result.GetValue(missedOrder),
                Seed = result.GetValue(seed),
            },
            Seed = result.GetValue(seed),
            Threads = result.GetValue(threads),
            LiveUpdates = result.GetValue(live),
            Initial = result.GetValue(initial),
            VisibleFraction = result.GetValue(visible),
            Split = result.GetValue(split),
            Csv = result.GetValue(csv),
        }));
        return command;
    }
}
