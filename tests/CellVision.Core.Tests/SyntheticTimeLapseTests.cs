using CellVision.Core.Synthetic;

namespace CellVision.Core.Tests;

public class SyntheticTimeLapseTests
{
    private static readonly SyntheticTimeLapseOptions Small = new()
    {
        Timepoints = 6, Depth = 8, Height = 48, Width = 48, InitialNuclei = 5, DivisionProbability = 0.3, Seed = 7,
    };

    [Fact]
    public void The_same_seed_gives_the_same_movie()
    {
        using var first = SyntheticTimeLapse.Generate(Small);
        using var second = SyntheticTimeLapse.Generate(Small);
        using var other = SyntheticTimeLapse.Generate(Small with { Seed = 8 });

        for (var t = 0; t < Small.Timepoints; t++)
        {
            Assert.True(first.Images[t].Span.SequenceEqual(second.Images[t].Span));
            Assert.True(first.Masks[t].Span.SequenceEqual(second.Masks[t].Span));
        }

        Assert.False(first.Images[0].Span.SequenceEqual(other.Images[0].Span));
    }

    [Fact]
    public void Every_true_nucleus_is_in_its_frame_mask_under_its_tracklet_label_and_is_brighter_than_the_background()
    {
        using var movie = SyntheticTimeLapse.Generate(Small);
        var size = Small.VoxelSize;
        Assert.Equal(Small.Timepoints, movie.Images.Count);
        Assert.True(movie.Truth.SpotCount >= Small.InitialNuclei);
        foreach (var tracklet in movie.Tracklets)
        {
            foreach (var spot in tracklet.Spots)
            {
                int z = (int)Math.Round(spot.Z / size.Z), y = (int)Math.Round(spot.Y / size.Y), x = (int)Math.Round(spot.X / size.X);
                if (y >= Small.Height || x >= Small.Width)
                {
                    continue;
                }

                Assert.Equal(tracklet.Label, movie.Masks[spot.Timepoint][z, y, x]);
                Assert.True(movie.Images[spot.Timepoint][z, y, x] > Small.Background + Small.Signal / 2);
            }
        }

        var labelsInMasks = movie.Masks.SelectMany(mask => mask.Span.ToArray()).Where(v => v != 0).Distinct().Count();
        Assert.Equal(movie.Tracklets.Count, labelsInMasks);
    }

    [Fact]
    public void Divisions_give_two_daughters_and_links_go_one_frame_forward()
    {
        using var movie = SyntheticTimeLapse.Generate(Small with { Timepoints = 10, DivisionProbability = 0.5 });
        Assert.Contains(movie.Truth.Spots, spot => spot.Outgoing.Count == 2);
        Assert.All(movie.Truth.Links, link => Assert.Equal(link.Source.Timepoint + 1, link.Target.Timepoint));
        Assert.All(movie.Truth.Spots, spot => Assert.True(spot.Outgoing.Count <= 2 && spot.Incoming.Count <= 1));
        Assert.All(movie.Tracklets.Where(t => t.Parent is not null), t => Assert.Equal(t.Parent!.End + 1, t.Begin));
    }

    [Fact]
    public void Bad_settings_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticTimeLapse.Generate(Small with { Timepoints = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticTimeLapse.Generate(Small with { DivisionProbability = 1.5 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticTimeLapse.Generate(Small with { NucleusRadius = double.NaN }));
    }
}
