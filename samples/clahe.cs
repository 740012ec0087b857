#:property PublishAot=false
#:project ../src/CellVision.Segmentation/CellVision.Segmentation.csproj

// CellVision sample: CLAHE (contrast-limited adaptive histogram equalisation, bit-exact with scikit-image's
// equalize_adapthist) of a synthetic nuclei volume whose illumination fades from right to left.
// Run from the repository root: dotnet run samples/clahe.cs
using System.Diagnostics;
using System.Globalization;
using CellVision.Core.Synthetic;
using CellVision.Core.Volumes;
using CellVision.Segmentation;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

// 1. A synthetic frame and its truth mask; dim it towards x = 0 (to 15 % at the left edge), as uneven illumination does.
using var movie = SyntheticTimeLapse.Generate(new SyntheticTimeLapseOptions { Timepoints = 1, Depth = 32, Height = 128, Width = 128, InitialNuclei = 40, Seed = 3 });
var mask = movie.Masks[0];
using var dimmed = new Volume<ushort>(mask.Depth, mask.Height, mask.Width, mask.VoxelSize);
for (var z = 0; z < mask.Depth; z++)
{
    for (var y = 0; y < mask.Height; y++)
    {
        var source = movie.Images[0].Row(z, y);
        var target = dimmed.Row(z, y);
        for (var x = 0; x < mask.Width; x++)
        {
            target[x] = (ushort)(source[x] * (0.15 + (0.85 * x / (mask.Width - 1))));
        }
    }
}

Console.WriteLine($"volume: {dimmed.Depth}×{dimmed.Height}×{dimmed.Width} voxels, {movie.Truth.SpotCount} nuclei, illumination 15 % (left) to 100 % (right)");
Console.WriteLine("contrast = (mean inside nuclei − mean outside) / std of the whole volume, in the dim left and the bright right half");
Console.WriteLine($"{"",-26} {"min",6} {"max",6} {"mean",8} {"std",8} {"left",6} {"right",6} {"left/right",10}");
Report("input", dimmed.Span.ToArray().Select(v => (double)v).ToArray());

// 2. CLAHE with scikit-image's defaults (kernel 1/8 of each dimension, clip limit 0.01, 256 bins) and two other clip limits.
foreach (var clipLimit in new[] { 0.01, 0.03, 0.1 })
{
    var clock = Stopwatch.StartNew();
    using var equalised = Clahe.EqualizeToUInt16(dimmed, new ClaheOptions { ClipLimit = clipLimit });
    var ms = clock.ElapsedMilliseconds;
    Report($"CLAHE clip {clipLimit} ({ms} ms)", equalised.Span.ToArray().Select(v => (double)v).ToArray());
}

// The same with float64 output in [0, 1], as scikit-image returns it.
using var unit = Clahe.Equalize(dimmed, new ClaheOptions { ClipLimit = 0.01 });
Report("CLAHE clip 0.01, [0,1]", unit.Span.ToArray());

// Mean intensity inside nuclei minus mean outside, per half of the volume, in units of the whole volume's standard
// deviation: CLAHE lifts the dim half towards the bright one (left/right closer to 1).
void Report(string name, double[] values)
{
    var mean = values.Average();
    var std = Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));
    double Contrast(int fromX, int toX)
    {
        double inside = 0, outside = 0;
        int nInside = 0, nOutside = 0;
        var labels = mask.Span;
        for (var i = 0; i < values.Length; i++)
        {
            var x = i % mask.Width;
            if (x < fromX || x >= toX)
            {
                continue;
            }

            if (labels[i] != 0)
            {
                inside += values[i];
                nInside++;
            }
            else
            {
                outside += values[i];
                nOutside++;
            }
        }

        return ((inside / nInside) - (outside / nOutside)) / std;
    }

    var (left, right) = (Contrast(0, mask.Width / 2), Contrast(mask.Width / 2, mask.Width));
    Console.WriteLine($"{name,-26} {values.Min(),6:G4} {values.Max(),6:G5} {mean,8:G5} {std,8:G5} {left,6:F2} {right,6:F2} {left / right,10:F2}");
}
