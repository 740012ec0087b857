using System.CommandLine;

namespace CellVision.Benchmarks.Commands;

/// <summary>Arguments and options that several verbs take: thread and round counts, the BigDataViewer sample.</summary>
internal static class CommonSymbols
{
    internal static Argument<string> BdvXmlArgument() => new("xml")
    {
        Description = "BigDataViewer XML (its HDF5 file beside it)",
        Arity = ArgumentArity.ZeroOrOne,
        DefaultValueFactory = _ => "../shared/data/elephant-sample-3dt/sample.xml",
    };

    internal static Argument<int> TimepointArgument(string description) =>
        new Argument<int>("timepoint") { Description = description, Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => 0 }.AtLeast(0);

    // Two libtorch threads by default: the published figures were taken on 2-core machines.
    private const string TorchThreadsDescription = "libtorch intra-op threads";

    internal static Argument<int> TorchThreadsArgument() =>
        new Argument<int>("threads") { Description = TorchThreadsDescription, Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => 2 }.AtLeast(1);

    internal static Option<int> TorchThreadsOption() =>
        new Option<int>("--threads") { Description = TorchThreadsDescription, DefaultValueFactory = _ => 2 }.AtLeast(1);

    internal static Argument<int> RoundsArgument(int defaultValue) =>
        new Argument<int>("rounds") { Description = "Timed rounds after the warm-up; the median is printed", Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => defaultValue }.AtLeast(1);

    internal static Option<int> RoundsOption(int defaultValue, string description) =>
        new Option<int>("--rounds") { Description = description, DefaultValueFactory = _ => defaultValue }.AtLeast(1);
}
