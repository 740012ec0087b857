using System.CommandLine;
using BenchmarkDotNet.Running;

namespace CellVision.Benchmarks.Commands;

/// <summary>The command tree: one verb per hand-written benchmark, and BenchmarkDotNet's suite when no verb is given.</summary>
internal static class BenchmarkRoot
{
    internal static RootCommand Create()
    {
        // BenchmarkDotNet parses its own arguments (--filter, --list, --job, ...), so everything from the first token that
        // is not a verb on goes to it unchanged. Hidden, so that the verbs' help does not list it; the description says it.
        var suiteArguments = new Argument<string[]>("benchmarkdotnet-arguments")
        {
            Arity = ArgumentArity.ZeroOrMore,
            CaptureRemainingTokens = true,
            Hidden = true,
        };
        suiteArguments.Validators.Add(result =>
        {
            // BenchmarkDotNet takes options only, so a leading word is a mistyped verb rather than something for it.
            if (result.Tokens.Count > 0 && !result.Tokens[0].Value.StartsWith('-'))
            {
                result.AddError($"'{result.Tokens[0].Value}' is not a verb of this program (see --help).");
            }
        });

        var root = new RootCommand("CellVision benchmarks. Each verb prints machine-readable lines (the CellVision halves of benchmarks/compare/*.sh, the figures in docs/). Without a verb, BenchmarkDotNet's suite runs and every argument goes to it, e.g. --filter '*Conv3d*' or --list flat; put -- before arguments this program would take itself, e.g. -- --help.")
        {
            suiteArguments,
        };
        foreach (var verb in Verbs())
        {
            root.Subcommands.Add(verb);
        }

        root.SetAction(result =>
        {
            BenchmarkSwitcher.FromAssembly(typeof(BenchmarkRoot).Assembly).Run(result.GetValue(suiteArguments) ?? []);
            return 0;
        });
        return root;
    }

    private static IEnumerable<Command> Verbs() =>
    [
        Conv3dComparisonCommand.Create(),
        ZarrComparisonCommand.Create(),
        UNetComparisonCommand.Create(),
        ClaheComparisonCommand.Create(),
        BdvComparisonCommand.Create(),
        KnnComparisonCommand.Create(),
        DetectFrameCommand.Create(),
        ServerLoadCommand.Create(),
        PlantSegAccuracyCommand.Create(),
        DetectionLoopCommand.Create(),
        LabelRateCommand.Create(),
        FlowStepCommand.Create(),
        ShardRegionCommand.Create(),
        CtcScoreCommand.Create(),
        LinkFrameCommand.Create(),
        AstecRelinkCommand.Create(),
        GnnAstecCommand.Create(),
        GnnCtcCommand.Create(),
        GnnSpeedCommand.Create(),
        FfnFib25Command.Create(),
        SemanticVncCommand.Create(),
        SemanticSpeedCommand.Create(),
        FfnSpeedCommand.Create(),
        ScaleOutCommand.Create(),
    ];
}
