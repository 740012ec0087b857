using CellVision.Torch;

namespace CellVision.Tracking.Tests;

/// <summary>The process-wide count of live native tensors, once the finalizers of tensors other tests dropped have run.</summary>
internal static class LiveTensors
{
    /// <summary>
    /// Tensors that earlier tests left to the garbage collector are released by finalizers at any moment; running them
    /// first keeps the count from falling during a measurement for reasons outside it.
    /// </summary>
    internal static long Settled()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return TorchRuntime.LiveTensorCount;
    }
}
