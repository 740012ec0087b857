using CellVision.Torch;

namespace CellVision.Cli.Commands;

/// <summary>
/// libtorch's own default can be a single thread (it is on some virtual machines, where OpenMP reports one), which
/// leaves the other cores idle during training and prediction. The <c>cellvision</c> executable therefore lets its
/// network verbs use every core the process may run on, unless OMP_NUM_THREADS chooses otherwise. Hosts that run the
/// command tree in their own process (tests, other programs) keep their thread count, so that runs through the library
/// and through the commands stay bit-identical there.
/// </summary>
internal static class TorchThreads
{
    /// <summary>Set by the executable's entry point.</summary>
    internal static bool UseAllCores { get; set; }

    internal static void UseAvailableCores()
    {
        if (UseAllCores && Environment.GetEnvironmentVariable("OMP_NUM_THREADS") is null && TorchRuntime.ThreadCount < Environment.ProcessorCount)
        {
            TorchRuntime.ThreadCount = Environment.ProcessorCount;
        }
    }
}
