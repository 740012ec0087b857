using CellVision.Core.Annotations;
using CellVision.Core.Spatial;

namespace CellVision.Core.Tests.Spatial;

public class KdTree3Tests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 7)]
    [InlineData(3, 100)]
    [InlineData(4, 1000)]
    [InlineData(5, 40_000)]
    public void Nearest_equals_brute_force_on_random_clouds(int seed, int count)
    {
        var random = new Random(seed);
        var points = RandomCloud(random, count, 50);
        var tree = KdTree3.Build(points);
        Assert.Equal(count, tree.Count);

        var queries = count >= 10_000 ? 40 : 200;
        for (var q = 0; q < queries; q++)
        {
            var query = new Point3(random.NextDouble() * 60 - 5, random.NextDouble() * 60 - 5, random.NextDouble() * 60 - 5);
            var sorted = BruteForce(points, query, int.MaxValue, double.PositiveInfinity);
            for (var k = 1; k <= 5; k++)
            {
                foreach (var bound in new[] { double.PositiveInfinity, 3.0, 0.5 })
                {
                    var expected = sorted.Where(n => n.SquaredDistance <= bound * bound).Take(k).ToArray();
                    AssertNearest(tree, query, k, bound, expected);
                }
            }
        }
    }

    [Fact]
    public void Duplicate_points_are_returned_in_index_order()
    {
        var random = new Random(11);
        var points = new Point3[600];
        for (var i = 0; i < points.Length; i++)
        {
            // 30 distinct positions, each repeated 20 times, on a coarse grid so many distances tie exactly.
            var cell = random.Next(30);
            points[i] = new Point3(cell % 5, cell / 5 % 3, cell / 15);
        }

        var tree = KdTree3.Build(points);
        for (var q = 0; q < 100; q++)
        {
            var query = q < 30 ? new Point3(q % 5, q / 5 % 3, q / 15) : new Point3(random.Next(6) * 0.5, random.Next(4) * 0.5, random.Next(3) * 0.5);
            foreach (var k in new[] { 1, 3, 5, 25 })
            {
                AssertNearest(tree, points, query, k, double.PositiveInfinity);
                AssertNearest(tree, points, query, k, 1.0);
            }

            AssertRadius(tree, points, query, 1.0);
        }
    }

    [Fact]
    public void All_points_at_one_position_are_found()
    {
        var points = Enumerable.Repeat(new Point3(1, 2, 3), 100).ToArray();
        var tree = KdTree3.Build(points, maxDegreeOfParallelism: 1);
        var indices = new int[4];
        var distances = new double[4];
        Assert.Equal(4, tree.Nearest(1, 2, 3, indices, distances));
        Assert.Equal([0, 1, 2, 3], indices);
        Assert.All(distances, d => Assert.Equal(0.0, d));
    }

    [Fact]
    public void An_empty_tree_finds_nothing()
    {
        var tree = KdTree3.Build(ReadOnlySpan<Point3>.Empty);
        var indices = new int[3];
        var distances = new double[3];
        Assert.Equal(0, tree.Count);
        Assert.Equal(0, tree.Nearest(0, 0, 0, indices, distances));
        Assert.Equal([-1, -1, -1], indices);
        Assert.All(distances, d => Assert.Equal(double.PositiveInfinity, d));

        var radius = new List<Neighbor>();
        Assert.Equal(0, tree.WithinRadius(0, 0, 0, 10, radius));
        Assert.Empty(radius);

        var batchIndices = new int[6];
        var batchDistances = new double[6];
        tree.NearestBatch([new Point3(0, 0, 0), new Point3(1, 1, 1)], 3, batchIndices, batchDistances);
        Assert.All(batchIndices, i => Assert.Equal(-1, i));
    }

    [Fact]
    public void K_larger_than_the_point_count_returns_every_point()
    {
        Point3[] points = [new(0, 0, 0), new(3, 0, 0), new(1, 0, 0)];
        var tree = KdTree3.Build(points);
        var indices = new int[5];
        var distances = new double[5];
        Assert.Equal(3, tree.Nearest(0.1, 0, 0, indices, distances));
        Assert.Equal([0, 2, 1, -1, -1], indices);
        Assert.Equal(0.01, distances[0], 12);
        Assert.Equal(0.81, distances[1], 12);
        Assert.Equal(8.41, distances[2], 12);
        Assert.Equal(double.PositiveInfinity, distances[3]);
    }

    [Fact]
    public void The_distance_bound_is_inclusive()
    {
        Point3[] points = [new(0, 0, 0), new(5, 0, 0), new(0, 5.000001, 0)];
        var tree = KdTree3.Build(points);
        var indices = new int[3];
        var distances = new double[3];
        Assert.Equal(2, tree.Nearest(0, 0, 0, indices, distances, maxDistance: 5.0));
        Assert.Equal([0, 1, -1], indices);
        Assert.Equal(1, tree.Nearest(0, 0, 0, indices, distances, maxDistance: 0));
        Assert.Equal(0, indices[0]);

        var within = new List<Neighbor>();
        Assert.Equal(2, tree.WithinRadius(0, 0, 0, 5.0, within));
        Assert.Equal([new Neighbor(0, 0), new Neighbor(1, 25)], within);
    }

    [Theory]
    [InlineData(21, 500, 4.0)]
    [InlineData(22, 5000, 7.5)]
    [InlineData(23, 50_000, 2.0)]
    public void Radius_queries_equal_brute_force(int seed, int count, double radius)
    {
        var random = new Random(seed);
        var points = RandomCloud(random, count, 40);
        var tree = KdTree3.Build(points);
        for (var q = 0; q < 100; q++)
        {
            var query = new Point3(random.NextDouble() * 40, random.NextDouble() * 40, random.NextDouble() * 40);
            AssertRadius(tree, points, query, radius);
        }

        var queries = RandomCloud(random, 3000, 40);
        var table = tree.WithinRadiusBatch(queries, radius);
        Assert.Equal(queries.Length, table.QueryCount);
        var expectedTotal = 0;
        for (var q = 0; q < queries.Length; q += 37)
        {
            Assert.Equal(BruteForce(points, queries[q], int.MaxValue, radius), table[q].ToArray());
        }

        for (var q = 0; q < queries.Length; q++)
        {
            expectedTotal += table[q].Length;
        }

        Assert.Equal(expectedTotal, table.TotalCount);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(-1)]
    public void Batched_queries_equal_single_queries(int maxDegreeOfParallelism)
    {
        var random = new Random(31);
        var points = RandomCloud(random, 60_000, 100);
        var tree = KdTree3.Build(points, maxDegreeOfParallelism);
        var queries = RandomCloud(random, 20_000, 100);
        const int k = 3;
        var indices = new int[queries.Length * k];
        var distances = new double[queries.Length * k];
        tree.NearestBatch(queries, k, indices, distances, maxDistance: 1.5, maxDegreeOfParallelism: maxDegreeOfParallelism);

        var x = queries.Select(p => p.X).ToArray();
        var y = queries.Select(p => p.Y).ToArray();
        var z = queries.Select(p => p.Z).ToArray();
        var indicesSoA = new int[queries.Length * k];
        var distancesSoA = new double[queries.Length * k];
        tree.NearestBatch(x, y, z, k, indicesSoA, distancesSoA, maxDistance: 1.5, maxDegreeOfParallelism: maxDegreeOfParallelism);
        Assert.Equal(indices, indicesSoA);
        Assert.Equal(distances, distancesSoA);

        var single = new int[k];
        var singleDistances = new double[k];
        for (var q = 0; q < queries.Length; q += 13)
        {
            tree.Nearest(queries[q], single, singleDistances, 1.5);
            Assert.Equal(single, indices.AsSpan(q * k, k).ToArray());
            Assert.Equal(singleDistances, distances.AsSpan(q * k, k).ToArray());
            var expected = BruteForce(points, queries[q], k, 1.5);
            Assert.Equal(expected.Select(n => n.Index), single.Take(expected.Length));
        }
    }

    [Fact]
    public void Sequential_and_parallel_builds_answer_alike()
    {
        var random = new Random(41);
        var points = RandomCloud(random, 100_000, 200);
        var parallel = KdTree3.Build(points);
        var sequential = KdTree3.Build(points, maxDegreeOfParallelism: 1);
        var a = new int[4];
        var b = new int[4];
        var da = new double[4];
        var db = new double[4];
        for (var q = 0; q < 500; q++)
        {
            var query = new Point3(random.NextDouble() * 200, random.NextDouble() * 200, random.NextDouble() * 200);
            parallel.Nearest(query, a, da);
            sequential.Nearest(query, b, db);
            Assert.Equal(a, b);
            Assert.Equal(da, db);
        }
    }

    [Fact]
    public void Spots_are_indexed_by_their_position_in_the_list()
    {
        var graph = new LineageGraph();
        var spots = new List<Spot>
        {
            graph.AddSpot(0, 10, 0, 0, 1.0),
            graph.AddSpot(0, 0, 0, 0, 1.0),
            graph.AddSpot(0, 4, 4, 4, 1.0),
        };
        var tree = KdTree3.FromSpots(spots);
        var indices = new int[2];
        var distances = new double[2];
        Assert.Equal(2, tree.Nearest(1, 0, 0, indices, distances));
        Assert.Equal([1, 2], indices);
        Assert.Equal([1.0, 9 + 16 + 16], distances);
    }

    [Fact]
    public void Invalid_input_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => KdTree3.Build([new Point3(0, double.NaN, 0)]));
        Assert.Throws<ArgumentException>(() => KdTree3.Build([1.0, 2.0], [1.0], [1.0, 2.0]));
        var tree = KdTree3.Build([new Point3(0, 0, 0)]);
        Assert.Throws<ArgumentOutOfRangeException>(() => tree.Nearest(0, 0, 0, new int[1], new double[1], -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => tree.WithinRadius(0, 0, 0, double.NaN, []));
        Assert.Throws<ArgumentException>(() => tree.Nearest(0, 0, 0, new int[2], new double[1]));
        Assert.Throws<ArgumentException>(() => tree.NearestBatch([new Point3(0, 0, 0)], 2, new int[1], new double[2]));
    }

    private static Point3[] RandomCloud(Random random, int count, double size)
    {
        var points = new Point3[count];
        for (var i = 0; i < count; i++)
        {
            points[i] = new Point3(random.NextDouble() * size, random.NextDouble() * size, random.NextDouble() * size);
        }

        return points;
    }

    private static Neighbor[] BruteForce(Point3[] points, Point3 query, int k, double bound)
    {
        var bound2 = bound * bound;
        var all = new List<Neighbor>();
        for (var i = 0; i < points.Length; i++)
        {
            double dx = points[i].X - query.X, dy = points[i].Y - query.Y, dz = points[i].Z - query.Z;
            var d = dx * dx + dy * dy + dz * dz;
            if (d <= bound2)
            {
                all.Add(new Neighbor(i, d));
            }
        }

        all.Sort();
        return all.Take(k).ToArray();
    }

    private static void AssertNearest(KdTree3 tree, Point3[] points, Point3 query, int k, double bound) =>
        AssertNearest(tree, query, k, bound, BruteForce(points, query, k, bound));

    private static void AssertNearest(KdTree3 tree, Point3 query, int k, double bound, Neighbor[] expected)
    {
        var indices = new int[k];
        var distances = new double[k];
        var found = tree.Nearest(query, indices, distances, bound);
        Assert.Equal(expected.Length, found);
        Assert.Equal(expected.Select(n => n.Index), indices.Take(found));
        Assert.Equal(expected.Select(n => n.SquaredDistance), distances.Take(found));
    }

    private static void AssertRadius(KdTree3 tree, Point3[] points, Point3 query, double radius)
    {
        var results = new List<Neighbor> { new(-5, -5) };
        var found = tree.WithinRadius(query, radius, results);
        var expected = BruteForce(points, query, int.MaxValue, radius);
        Assert.Equal(expected.Length, found);
        Assert.Equal(new Neighbor(-5, -5), results[0]);
        Assert.Equal(expected, results.Skip(1));
    }
}
