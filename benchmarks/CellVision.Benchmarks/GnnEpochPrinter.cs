using System.Globalization;
using CellVision.Tracking;

namespace CellVision.Benchmarks;

/// <summary>Prints each GNN training epoch as it ends (synchronously, so lines keep their order).</summary>
internal sealed class GnnEpochPrinter : IProgress<GnnEpoch>
{
    public void Report(GnnEpoch value) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"epoch {value.Epoch}: training loss {value.TrainingLoss:F5}, validation loss {value.ValidationLoss:F5}, validation accuracy {value.ValidationAccuracy:F4}"));
}
