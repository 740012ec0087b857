using CellVision.Core.Annotations;

namespace CellVision.Core.Synthetic;

/// <summary>Simulates where the nuclei of a <see cref="SyntheticTimeLapse"/> are: motion, divisions, appearances, exits.</summary>
internal sealed class NucleusMotion(SyntheticTimeLapseOptions options)
{
    private const int PlacementAttempts = 50;
    private readonly Random random = new(options.Seed);
    private readonly (double X, double Y, double Z) extent =
        (options.Width * options.VoxelSize.X, options.Height * options.VoxelSize.Y, options.Depth * options.VoxelSize.Z);

    internal LineageGraph Simulate(CancellationToken cancellationToken)
    {
        var graph = new LineageGraph();
        var alive = new List<(Spot Spot, int Age)>();
        for (var i = 0; i < options.InitialNuclei; i++)
        {
            if (TryPlaceNew(graph, 0) is { } spot)
            {
                alive.Add((spot, 2));
            }
        }

        for (var t = 1; t < options.Timepoints; t++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var next = new List<(Spot Spot, int Age)>();
            foreach (var (parent, age) in alive)
            {
                var radius = RadiusOf(parent);
                if (age >= 2 && random.NextDouble() < options.DivisionProbability)
                {
                    var angle = random.NextDouble() * Math.PI;
                    var offset = 0.6 * radius;
                    var daughterRadius = Math.Max(0.75 * options.NucleusRadius, 0.85 * radius);
                    foreach (var sign in (ReadOnlySpan<int>)[1, -1])
                    {
                        var (x, y, z) = Step(parent);
                        x += sign * offset * Math.Cos(angle);
                        y += sign * offset * Math.Sin(angle);
                        if (Inside(x, y))
                        {
                            var daughter = graph.AddSpot(t, x, y, ClampZ(z, daughterRadius), daughterRadius);
                            graph.AddLink(parent, daughter);
                            next.Add((daughter, 0));
                        }
                    }
                }
                else
                {
                    var (x, y, z) = Step(parent);
                    if (Inside(x, y))
                    {
                        var child = graph.AddSpot(t, x, y, ClampZ(z, radius), radius);
                        graph.AddLink(parent, child);
                        next.Add((child, age + 1));
                    }
                }
            }

            if (random.NextDouble() < options.AppearanceProbability && TryPlaceNew(graph, t) is { } newcomer)
            {
                next.Add((newcomer, 0));
            }

            alive = next;
        }

        return graph;
    }

    private static double RadiusOf(Spot spot) => Math.Sqrt(spot.Covariance.XX);

    private (double X, double Y, double Z) Step(Spot spot) =>
        (spot.X + options.Drift.X + Gaussian() * options.BrownianStep,
         spot.Y + options.Drift.Y + Gaussian() * options.BrownianStep,
         spot.Z + options.Drift.Z + Gaussian() * options.BrownianStep);

    private bool Inside(double x, double y) => x >= 0 && x < extent.X && y >= 0 && y < extent.Y;

    private double ClampZ(double z, double radius)
    {
        var low = Math.Min(radius, extent.Z / 2);
        var high = Math.Max(extent.Z - radius, extent.Z / 2);
        return Math.Clamp(z, low, high);
    }

    private Spot? TryPlaceNew(LineageGraph graph, int timepoint)
    {
        var radius = options.NucleusRadius * (0.85 + 0.3 * random.NextDouble());
        for (var attempt = 0; attempt < PlacementAttempts; attempt++)
        {
            var x = radius + random.NextDouble() * Math.Max(0, extent.X - 2 * radius);
            var y = radius + random.NextDouble() * Math.Max(0, extent.Y - 2 * radius);
            var z = ClampZ(random.NextDouble() * extent.Z, radius);
            var minimum = 2.2 * options.NucleusRadius;
            if (graph.SpotsAt(timepoint).All(other => other.SquaredDistanceTo(x, y, z) >= minimum * minimum))
            {
                return graph.AddSpot(timepoint, x, y, z, radius);
            }
        }

        return null;
    }

    private double Gaussian()
    {
        // Box–Muller; 1 − U avoids log(0).
        var u = 1.0 - random.NextDouble();
        var v = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u)) * Math.Cos(2.0 * Math.PI * v);
    }
}
