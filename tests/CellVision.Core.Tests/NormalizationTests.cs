using System.Diagnostics;
using System.Runtime.InteropServices;
using CellVision.Core.Volumes;

namespace CellVision.Core.Tests;

/// <summary>Normalisations equal NumPy's float32 arithmetic as ELEPHANT uses it, bit for bit.</summary>
public sealed class NormalizationTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("cellvision-norm-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void A_raw_uint16_volume_becomes_a_float_volume_in_zero_to_one_with_its_geometry()
    {
        using var raw = new Volume<ushort>(2, 2, 2, new Geometry.VoxelSize(0.5, 0.5, 2), (1, 2, 3));
        ushort[] values = [100, 300, 500, 100, 900, 100, 100, 100];
        values.CopyTo(raw.Span);

        using var normalised = Normalization.MinMaxToUnit(raw);

        Assert.Equal([0f, 0.25f, 0.5f, 0f, 1f, 0f, 0f, 0f], normalised.Span.ToArray());
        Assert.Equal(raw.VoxelSize, normalised.VoxelSize);
        Assert.Equal(raw.Origin, normalised.Origin);
    }

    [Fact]
    public void MatchesNumPy()
    {
        const int depth = 6, height = 17, width = 23;
        var random = new Random(3);
        var values = Enumerable.Range(0, depth * height * width).Select(i => (float)((random.NextDouble() * 900) + (i / (height * width) * 37.5))).ToArray();
        var input = Path.Combine(folder, "in.bin");
        File.WriteAllBytes(input, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
        var script = """
            import sys, numpy as np
            x = np.fromfile(sys.argv[1], dtype=np.float32).reshape(6, 17, 23)
            def zero_one(v):
                v = v - v.min()
                m = v.max()
                return v / m if m > 0 else v
            zero_one(x.copy()).tofile(sys.argv[2] + "/minmax.bin")
            y = x.copy(); g = np.median(y)
            for z in range(y.shape[0]):
                m = np.median(y[z])
                if m > 0:
                    y[z] -= m - g
            zero_one(y).tofile(sys.argv[2] + "/median.bin")
            lo, hi = np.percentile(x, [1, 99.8])
            ((x.astype(np.float64) - lo) / (hi - lo)).astype(np.float32).tofile(sys.argv[2] + "/percentile.bin")
            """;
        Run(script, input, folder);

        var minMax = values.ToArray();
        Normalization.MinMaxToUnit(minMax);
        Assert.Equal(Read("minmax.bin"), minMax);

        using var volume = new Volume<float>(depth, height, width);
        values.CopyTo(volume.Span);
        Normalization.SliceWiseMedianCorrection(volume);
        Normalization.MinMaxToUnit(volume.Span);
        Assert.Equal(Read("median.bin"), volume.Span.ToArray());

        var percentile = values.ToArray();
        Normalization.PercentileToUnit(percentile);
        Assert.Equal(Read("percentile.bin"), percentile);
    }

    [Fact]
    public void NaNAndEmptyInputAreRejected()
    {
        Assert.Throws<ArgumentException>(() => Normalization.MinMaxToUnit(new[] { 1f, float.NaN }));
        Assert.Throws<ArgumentException>(() => Normalization.MinMaxToUnit(Span<float>.Empty));
        Assert.Throws<ArgumentOutOfRangeException>(() => Normalization.PercentileToUnit(new[] { 1f, 2f }, 50, 10));
    }

    private float[] Read(string name) => MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(Path.Combine(folder, name))).ToArray();

    private static void Run(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, error);
    }
}
