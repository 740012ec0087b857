using CellVision.Torch.Serialization;

namespace CellVision.Cli.Tests;

/// <summary>Compares the tensors of two <c>.pth</c> files (the archives' folder names follow the file names, so bytes differ).</summary>
internal static class WeightFiles
{
    internal static void AssertSame(string expectedPath, string actualPath)
    {
        using var expected = PthFile.LoadStateDict(expectedPath);
        using var actual = PthFile.LoadStateDict(actualPath);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var key in expected.Keys)
        {
            Assert.True(expected[key].ToArray<float>().AsSpan().SequenceEqual(actual[key].ToArray<float>()), $"{Path.GetFileName(actualPath)}: {key} differs from {Path.GetFileName(expectedPath)}");
        }
    }
}
