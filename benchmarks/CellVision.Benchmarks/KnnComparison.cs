using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using CellVision.Core.Spatial;

namespace CellVision.Benchmarks;

/// <summary>
/// <c>compare-knn</c>: the workload of ../shared/refbench/knn_ref.py (scipy cKDTree) with <see cref="KdTree3"/>. For
/// n = 1k, 10k, 100k: prev uniform in [0, 100·n^(1/3)]³, cur = prev + N(0, 1) per axis; build a tree on prev and
/// query every cur point for its k = 3 nearest within 5.0; the time covers build and queries (wall clock, as the
/// reference measures it). After 1.5 s of warm-up runs, --rounds rounds (default 7) each run the reference script once
/// and CellVision once per size, with all processors and with one thread; medians over the rounds are compared (the
/// ratio is CellVision's queries/s over scipy's, whose query runs on one thread).
/// </summary>
internal static partial class KnnComparison
{
    private static readonly int[] Sizes = [1_000, 10_000, 100_000];

    internal static int Run(string reference, int rounds)
    {
        var haveReference = reference != "none" && File.Exists(reference);
        if (!haveReference)
        {
            Console.WriteLine($"reference {reference} not found (give --reference PATH, or --reference none): printing CellVision's numbers only");
        }

        // Warm-up: every size and thread setting for a while, so tiered JIT has promoted the hot methods before timing.
        var frames = Sizes.ToDictionary(n => n, n => Frames(n, seed: 0));
        var warmUp = Stopwatch.StartNew();
        while (warmUp.Elapsed.TotalSeconds < 1.5)
        {
            foreach (var n in Sizes)
            {
                Measure(frames[n].Prev, frames[n].Cur, -1);
                Measure(frames[n].Prev, frames[n].Cur, 1);
            }
        }

        // Rounds alternate the reference and CellVision, so a change in the machine's load hits both alike.
        var scipy = Sizes.ToDictionary(n => n, _ => new List<double>());
        var ours = new Dictionary<(int N, int Threads), List<double>>();
        for (var round = 0; round < rounds; round++)
        {
            if (haveReference)
            {
                foreach (var line in RunPython(reference))
                {
                    var match = ReferenceLine().Match(line);
                    if (match.Success && scipy.TryGetValue(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), out var list))
                    {
                        list.Add(double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
                    }
                }
            }

            foreach (var threads in new[] { -1, 1 })
            {
                foreach (var n in Sizes)
                {
                    var key = (n, threads);
                    (ours.TryGetValue(key, out var list) ? list : ours[key] = []).Add(Measure(frames[n].Prev, frames[n].Cur, threads));
                }
            }
        }

        foreach (var n in Sizes)
        {
            if (scipy[n].Count > 0)
            {
                var seconds = Median([.. scipy[n]]);
                Console.WriteLine(FormattableString.Invariant($"scipy_ckdtree n={n} seconds={seconds:F4} queries_per_s={n / seconds:F0} (median of {scipy[n].Count} runs)"));
            }
        }

        foreach (var threads in new[] { -1, 1 })
        {
            foreach (var n in Sizes)
            {
                var seconds = Median([.. ours[(n, threads)]]);
                var qps = n / seconds;
                var label = threads == -1 ? Environment.ProcessorCount : 1;
                var line = FormattableString.Invariant($"cellvision_kdtree n={n} threads={label} seconds={seconds:F4} queries_per_s={qps:F0}");
                if (scipy[n].Count > 0)
                {
                    var scipyQps = n / Median([.. scipy[n]]);
                    line += FormattableString.Invariant($" scipy_queries_per_s={scipyQps:F0} ratio={qps / scipyQps:F2}x");
                }

                Console.WriteLine(line);
            }
        }

        return 0;
    }

    /// <summary>Builds on prev and queries cur (k = 3, bound 5.0); returns the seconds taken.</summary>
    private static double Measure(Point3[] prev, Point3[] cur, int threads)
    {
        var indices = new int[cur.Length * 3];
        var distances = new double[cur.Length * 3];
        var clock = Stopwatch.StartNew();
        var tree = KdTree3.Build(prev, threads);
        tree.NearestBatch(cur, 3, indices, distances, maxDistance: 5.0, maxDegreeOfParallelism: threads);
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>Two frames as knn_ref.py makes them: uniform points and the same points moved by N(0, 1) per axis.</summary>
    internal static (Point3[] Prev, Point3[] Cur) Frames(int n, int seed)
    {
        var random = new Random(seed);
        var size = 100 * Math.Cbrt(n);
        var prev = new Point3[n];
        var cur = new Point3[n];
        for (var i = 0; i < n; i++)
        {
            prev[i] = new Point3(random.NextDouble() * size, random.NextDouble() * size, random.NextDouble() * size);
            cur[i] = new Point3(prev[i].X + Normal(random), prev[i].Y + Normal(random), prev[i].Z + Normal(random));
        }

        return (prev, cur);
    }

    internal static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    internal static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>knn_ref.py under $CELLVISION_REFBENCH, else under ../shared/refbench beside the repository.</summary>
    internal static string DefaultReference()
    {
        var configured = Environment.GetEnvironmentVariable("CELLVISION_REFBENCH");
        if (!string.IsNullOrEmpty(configured))
        {
            return Path.Combine(configured, "knn_ref.py");
        }

        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CellVision.sln")))
        {
            directory = directory.Parent;
        }

        return directory is null ? "knn_ref.py" : Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "refbench", "knn_ref.py"));
    }

    private static List<string> RunPython(string script)
    {
        using var process = Process.Start(new ProcessStartInfo("/usr/bin/python3", [script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("python3 did not start.");
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} failed ({process.ExitCode}): {error}");
        }

        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }

    [GeneratedRegex(@"^scipy_ckdtree n=(\d+) seconds=([0-9.eE+-]+)")]
    private static partial Regex ReferenceLine();
}
