using CellVision.Core.Volumes;
using CellVision.Segmentation;

namespace CellVision.Segmentation.Tests.Semantic;

/// <summary>Training blocks: exact crops without augmentation, raw and labels moved together by every augmentation, the rejection rules.</summary>
public sealed class SemanticSampleSourceTests
{
    private static readonly (int Z, int Y, int X) Input = (12, 14, 14);
    private static readonly (int Z, int Y, int X) Output = (6, 8, 8);

    [Fact]
    public void Without_augmentation_a_block_is_the_crop_with_the_references_padding()
    {
        using var raw = new Volume<byte>(20, 30, 30);
        using var labels = new Volume<byte>(16, 20, 20);
        using var mask = new Volume<byte>(16, 20, 20);
        var random = new Random(1);
        random.NextBytes(raw.Span);
        for (var i = 0; i < labels.Length; i++)
        {
            labels.Span[i] = (byte)(i % 3);
            mask.Span[i] = (byte)(i % 5 == 0 ? 0 : 1);
        }

        var volume = new SemanticTrainingVolume(raw, labels, (2, 5, 5), mask);
        var source = new SemanticSampleSource([volume], Input, Output, new SemanticSamplingOptions { ForegroundRejectProbability = 0, MaskRejectProbability = 0 }, SemanticAugmentationOptions.None, new Random(2));

        for (var n = 0; n < 20; n++)
        {
            var sample = source.Next();
            var (z0, y0, x0) = (sample.OutputStart.Z - 3, sample.OutputStart.Y - 3, sample.OutputStart.X - 3);
            var i = 0;
            for (var z = 0; z < Input.Z; z++)
            {
                for (var y = 0; y < Input.Y; y++)
                {
                    for (var x = 0; x < Input.X; x++)
                    {
                        var (rz, ry, rx) = (z0 + z + 2, y0 + y + 5, x0 + x + 5);
                        var inside = rz >= 0 && ry >= 0 && rx >= 0 && rz < 20 && ry < 30 && rx < 30;
                        var unit = inside ? raw[rz, ry, rx] * (1f / 255f) : 0.5f;
                        Assert.Equal((unit * 2f) - 1f, sample.Image[i++]);
                    }
                }
            }

            var o = 0;
            for (var z = 0; z < Output.Z; z++)
            {
                for (var y = 0; y < Output.Y; y++)
                {
                    for (var x = 0; x < Output.X; x++)
                    {
                        var (lz, ly, lx) = (sample.OutputStart.Z + z, sample.OutputStart.Y + y, sample.OutputStart.X + x);
                        Assert.Equal(labels[lz, ly, lx], sample.Labels[o]);
                        Assert.Equal(mask[lz, ly, lx] != 0, sample.Mask[o]);
                        Assert.True(sample.MetricMask[o]);
                        o++;
                    }
                }
            }
        }
    }

    [Fact]
    public void Every_augmentation_moves_the_raw_image_and_the_labels_together()
    {
        // Raw intensity encodes the label (40 per class) in regions large enough that most voxels read a flat level.
        using var raw = new Volume<byte>(40, 40, 40);
        using var labels = new Volume<byte>(40, 40, 40);
        for (var z = 0; z < 40; z++)
        {
            for (var y = 0; y < 40; y++)
            {
                for (var x = 0; x < 40; x++)
                {
                    var label = (byte)(((z / 10) + (y / 7) + (x / 9)) % 4);
                    labels[z, y, x] = label;
                    raw[z, y, x] = (byte)(40 * label);
                }
            }
        }

        var options = new SemanticAugmentationOptions { Intensity = false, ControlPointSpacing = (6, 6, 6), JitterSigma = (1.5, 1.5, 1.5), SectionShiftProbability = 0.2 };
        var source = new SemanticSampleSource([new SemanticTrainingVolume(raw, labels)], (14, 14, 14), (8, 8, 8), new SemanticSamplingOptions { ForegroundRejectProbability = 0 }, options, new Random(5));
        var (flat, agree, moved) = (0, 0, 0);
        for (var n = 0; n < 30; n++)
        {
            var sample = source.Next();
            var o = 0;
            for (var z = 3; z < 11; z++)
            {
                for (var y = 3; y < 11; y++)
                {
                    for (var x = 3; x < 11; x++)
                    {
                        var unit = (sample.Image[(((z * 14) + y) * 14) + x] + 1f) / 2f * 255f;
                        var level = MathF.Round(unit / 40f);
                        if (MathF.Abs(unit - (40f * level)) < 1e-3f)
                        {
                            flat++;
                            agree += sample.Labels[o] == (int)level ? 1 : 0;
                        }

                        var (lz, ly, lx) = (sample.OutputStart.Z + z - 3, sample.OutputStart.Y + y - 3, sample.OutputStart.X + x - 3);
                        moved += sample.Labels[o] != labels[lz, ly, lx] ? 1 : 0;
                        o++;
                    }
                }
            }
        }

        Assert.True(flat > 30 * 512 / 2, $"only {flat} voxels read a flat level");
        Assert.True(agree >= flat * 0.98, $"{agree} of {flat} flat voxels carry their region's label");
        Assert.True(moved > 30 * 512 / 10, $"only {moved} labels moved");
    }

    [Fact]
    public void Serial_sections_keep_their_Z_axis_when_only_Y_and_X_may_be_transposed()
    {
        using var raw = new Volume<byte>(12, 12, 12);
        using var labels = new Volume<byte>(12, 12, 12);
        for (var z = 0; z < 12; z++)
        {
            raw.Plane(z).Fill((byte)(z * 20));
        }

        labels.Span.Fill(1);
        var options = SemanticAugmentationOptions.None with { Transpose = true, TransposableAxes = (false, true, true) };
        var source = new SemanticSampleSource([new SemanticTrainingVolume(raw, labels)], (12, 12, 12), (12, 12, 12), new SemanticSamplingOptions(), options, new Random(3));
        for (var n = 0; n < 10; n++)
        {
            var image = source.Next().Image;
            for (var z = 0; z < 12; z++)
            {
                Assert.All(image.AsSpan(z * 144, 144).ToArray(), v => Assert.Equal((z * 20 / 255f * 2f) - 1f, v, 5));
            }
        }
    }

    [Fact]
    public void Blocks_with_little_foreground_are_mostly_redrawn()
    {
        using var raw = new Volume<byte>(10, 64, 64);
        using var labels = new Volume<byte>(10, 64, 64);
        for (var z = 0; z < 10; z++)
        {
            for (var y = 0; y < 12; y++)
            {
                labels.Row(z, y)[..12].Fill(1);
            }
        }

        double Rate(SemanticSamplingOptions sampling)
        {
            var source = new SemanticSampleSource([new SemanticTrainingVolume(raw, labels)], (10, 12, 12), (10, 12, 12), sampling, SemanticAugmentationOptions.None, new Random(9));
            return Enumerable.Range(0, 400).Count(_ => source.Next().Labels.Count(l => l != 0) >= 0.05 * 1440) / 400.0;
        }

        var uniform = Rate(new SemanticSamplingOptions { ForegroundRejectProbability = 0 });
        var reference = Rate(new SemanticSamplingOptions());
        Assert.InRange(uniform, 0.01, 0.1);
        Assert.True(reference > 0.3, $"{reference:P0} of blocks held foreground");
        Assert.Throws<ArgumentException>(() => new SemanticSampleSource([new SemanticTrainingVolume(raw, labels)], (10, 70, 70), (10, 70, 70), new SemanticSamplingOptions(), SemanticAugmentationOptions.None, new Random(1)));
    }
}
