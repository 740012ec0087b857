using System.CommandLine;

namespace CellVision.Benchmarks.Commands;

/// <summary><c>ctc-score</c>: <see cref="CtcScore"/>.</summary>
internal static class CtcScoreCommand
{
    internal static Command Create()
    {
        var data = new Option<string>("--data") { Description = "A CTC sequence folder holding TRA", DefaultValueFactory = _ => "../shared/data/ctc-fluo-n2dh-sim-01-tra" };
        var rounds = CommonSymbols.RoundsOption(5, "Timed scorings of each result after one warm-up; the median is printed");
        var threads = new Option<int>("--threads") { Description = "Scoring threads; 0 uses every processor", DefaultValueFactory = _ => 0 }.AtLeast(0);
        var keep = new Option<string?>("--keep") { Description = "Write the result folders here and keep them [default: a temporary folder, removed]", HelpName = "DIR" };
        var command = new Command("ctc-score", "TRA + DET scoring time of a CTC sequence against itself and against a perturbed copy")
        {
            data, rounds, threads, keep,
        };
        command.SetAction(result => CtcScore.Run(result.GetValue(data)!, result.GetValue(rounds), result.GetValue(threads), result.GetValue(keep)));
        return command;
    }
}
