using CellVision.Torch;

namespace CellVision.Cli.Commands;

/// <summary>
/// libtorch's own default can be a single thread (it is on some virtual machines, where OpenMP reports one), which
/// leaves the other cores idle during training and prediction. Network verbs therefore use every core the process
/// may run on, unless OMP_NUM_THREADS chooses otherwise.
/// </summary>
internal static class TorchThreads
{
    internal static void UseAvailableCores()
    {
        if (Environment.GetEnvironmentVariable("OMP_NUM_THREADS") is null && TorchRuntime.ThreadCount < Environment.ProcessorCount)
        {
            TorchRuntime.ThreadCount = Environment.ProcessorCount;
        }
    }
}
