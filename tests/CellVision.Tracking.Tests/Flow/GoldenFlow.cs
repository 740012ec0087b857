namespace CellVision.Tracking.Tests.Flow;

/// <summary>The flow model's golden files and reference scripts, copied beside the tests from Golden/Flow/.</summary>
internal static class GoldenFlow
{
    internal static string PathOf(string file) => Path.Combine(AppContext.BaseDirectory, "Golden", "Flow", file);
}
