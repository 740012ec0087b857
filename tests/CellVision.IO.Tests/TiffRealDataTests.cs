using CellVision.IO.Tiff;

namespace CellVision.IO.Tests;

/// <summary>Real LZW-compressed label masks from the Cell Tracking Challenge (../shared/data/ctc-fluo-n2dh-sim-01-tra) read as Pillow reads them.</summary>
public sealed class TiffRealDataTests
{
    [Fact]
    public void CellTrackingChallengeMasksMatchPillow()
    {
        var path = SharedData.PathOf("ctc-fluo-n2dh-sim-01-tra", "TRA", "man_track030.tif");
        using var tiff = TiffFile.Open(path);
        var page = tiff.Pages[0];
        Assert.Equal(TiffCompression.Lzw, page.Compression);
        Assert.Equal((628, 690), (page.Width, page.Height));
        var labels = tiff.ReadPage<ushort>(0);

        var script = """
            import sys, numpy as np
            from PIL import Image
            a = np.array(Image.open(sys.argv[1])).astype(np.uint64)
            ys, xs = np.nonzero(a)
            print(a.shape[0], a.shape[1], int(a.sum()), len(np.unique(a)) - 1, int((a * (np.arange(a.size).reshape(a.shape) % 977)).sum()))
            """;
        var output = PythonReference.RunInline(script, path).Split(' ');
        Assert.Equal(690, int.Parse(output[0], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(628, int.Parse(output[1], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(ulong.Parse(output[2], System.Globalization.CultureInfo.InvariantCulture), labels.Aggregate(0UL, (s, v) => s + v));
        Assert.Equal(int.Parse(output[3], System.Globalization.CultureInfo.InvariantCulture), labels.Where(v => v != 0).Distinct().Count());
        var weighted = 0UL;
        for (var i = 0; i < labels.Length; i++)
        {
            weighted += labels[i] * (ulong)(i % 977);
        }

        Assert.Equal(ulong.Parse(output[4].Trim(), System.Globalization.CultureInfo.InvariantCulture), weighted);
    }

    /// <summary>
    /// Some strips of the real Fluo-N2DH-GOWT1 frames decode to more bytes than the strip holds (libtiff ignores the
    /// surplus, and Pillow with it); the frame must read exactly as Pillow reads it.
    /// </summary>
    [Fact]
    public void StripsThatDecodeToMoreThanTheirRowsReadAsPillowReadsThem()
    {
        var path = SharedData.PathOf("ctc-fluo-n2dh-gowt1-01", "01", "t004.tif");
        using var tiff = TiffFile.Open(path);
        var pixels = tiff.ReadPage<byte>(0);
        var script = """
            import sys, hashlib, numpy as np
            from PIL import Image
            print(hashlib.sha256(np.ascontiguousarray(np.array(Image.open(sys.argv[1])).astype(np.uint8)).tobytes()).hexdigest())
            """;
        var expected = PythonReference.RunInline(script, path).Trim();
        Assert.Equal(expected, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(pixels)));
    }
}
