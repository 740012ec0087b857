using CellVision.Core.Geometry;
using CellVision.Core.Volumes;
using CellVision.Detection;
using CellVision.Torch;

namespace CellVision.Detection.Tests;

/// <summary>ELEPHANT's scale, rotation and contrast augmentation of training crops (§3.1).</summary>
public sealed class CropAugmentationTests
{
    [Fact]
    public void Scale_augmented_crops_have_the_nominal_shape_and_vary_in_scale_within_the_drawn_range()
    {
        // Intensity = x / 100 and label = 1 + x % 6: a crop resized from e voxels to c has slope (e − 1)/(c − 1) / 100.
        using var frame = Ramp(8, 40, 60, new VoxelSize(0.5, 0.5, 2.0));
        using var labels = new Volume<byte>(8, 40, 60);
        for (var i = 0; i < labels.Length; i++)
        {
            labels.Span[i] = (byte)(1 + (i % 60 % 6));
        }

        var sampler = new CropSampler(new TrainingFrame(frame, labels), (4, 16, 16), new CropAugmentation(ScaleBase: 0.5, Flips: false));
        Assert.Equal((4, 16, 16), sampler.Crop);
        var random = new Random(3);
        var input = new float[4 * 16 * 16];
        var crop = new byte[input.Length];
        var extents = new HashSet<int>();
        for (var draw = 0; draw < 40; draw++)
        {
            sampler.Draw(random, input, crop);
            var extentX = (int)Math.Round(((input[15] - input[0]) * 100) + 1);
            Assert.InRange(extentX, 8, 24);                        // round(16·0.5) … ⌊16·1.5⌋ for the finest axis
            extents.Add(extentX);
            Assert.All(crop, v => Assert.InRange(v, (byte)1, (byte)6));  // nearest: only values of the frame
            for (var z = 0; z < 4; z++)
            {
                Assert.Equal(input[0], input[z * 256]);          // intensity depends on X alone, whatever the Z scale
            }
        }

        Assert.True(extents.Count > 5, $"scales drawn: {string.Join(", ", extents)}");
    }

    [Fact]
    public void Contrast_multiplies_only_nucleus_voxels_by_the_drawn_factor()
    {
        byte[] labels = [0, 1, 2, 3, 4, 5, 6, 1, 2, 0];
        var input = labels.Select(l => l switch { 0 => 0.5f, 1 or 4 => 0.2f, _ => 0.8f }).ToArray();
        var factors = new List<double>();
        var random = new Random(9);
        for (var draw = 0; draw < 200; draw++)
        {
            factors.Add(CropSampler.ContrastFactor(random, 0.5, input, labels)!.Value);
        }

        // k = ((0.8 − 0.2)·u + 0.2) / 0.8 with u uniform in [0.5, 1]: k in [0.625, 1].
        Assert.InRange(factors.Min(), 0.625 - 1e-6, 0.66);
        Assert.InRange(factors.Max(), 0.96, 1 + 1e-6);
        Assert.Null(CropSampler.ContrastFactor(random, 0.5, input, [0, 1, 1, 4, 4, 1, 0, 0, 0, 0]));   // no nucleus
        Assert.Null(CropSampler.ContrastFactor(random, 0.5, input, [0, 2, 3, 5, 6, 2, 0, 0, 0, 0]));   // no background

        // Through the sampler: nucleus voxels share one dimmed value, background and unlabelled voxels keep theirs.
        using var frame = new Volume<float>(2, 4, 5);
        using var frameLabels = new Volume<byte>(2, 4, 5);
        for (var i = 0; i < frame.Length; i++)
        {
            frameLabels.Span[i] = labels[i % labels.Length];
            frame.Span[i] = input[i % input.Length];
        }

        var sampler = new CropSampler(new TrainingFrame(frame, frameLabels), (2, 4, 5), new CropAugmentation(Contrast: 0.5));
        var cropInput = new float[40];
        var cropLabels = new byte[40];
        sampler.Draw(new Random(1), cropInput, cropLabels);
        var nucleus = cropInput.Where((_, i) => cropLabels[i] is 2 or 3 or 5 or 6).Distinct().ToArray();
        Assert.Single(nucleus);
        Assert.InRange(nucleus[0], 0.5f - 1e-6f, 0.8f);
        Assert.All(cropInput.Where((_, i) => cropLabels[i] is 1 or 4), v => Assert.Equal(0.2f, v));
        Assert.All(cropInput.Where((_, i) => cropLabels[i] == 0), v => Assert.Equal(0.5f, v));
    }

    [Fact]
    public void Rotation_works_without_scaling_and_turns_the_crop()
    {
        // Intensity = x / 100: unrotated crops change along X only; a quarter turn makes them change along Y.
        using var frame = Ramp(3, 48, 48, VoxelSize.Unit);
        using var labels = new Volume<byte>(3, 48, 48);
        labels[1, 24, 24] = 3;
        labels[1, 30, 20] = 1;
        var sampler = new CropSampler(new TrainingFrame(frame, labels), (3, 16, 16), new CropAugmentation(RotationDegrees: 90, Flips: false));
        var random = new Random(4);
        var input = new float[3 * 16 * 16];
        var crop = new byte[input.Length];
        var alongY = 0;
        for (var draw = 0; draw < 30; draw++)
        {
            sampler.Draw(random, input, crop);
            Assert.Contains(crop, v => v != 0);                             // empty rotated label crops are redrawn
            Assert.All(crop, v => Assert.True(v is 0 or 1 or 3, $"label {v}"));
            var dx = Math.Abs(input[(1 * 256) + (8 * 16) + 9] - input[(1 * 256) + (8 * 16) + 8]);
            var dy = Math.Abs(input[(1 * 256) + (9 * 16) + 8] - input[(1 * 256) + (8 * 16) + 8]);
            alongY += dy > dx ? 1 : 0;
        }

        Assert.InRange(alongY, 1, 29);
    }

    [Fact]
    public void Training_runs_with_every_augmentation_on()
    {
        TorchRuntime.ManualSeed(0);
        using var model = new DetectionUNet();
        using var frame = Ramp(6, 32, 32, new VoxelSize(1, 1, 2));
        using var labels = new Volume<byte>(6, 32, 32, new VoxelSize(1, 1, 2));
        for (var z = 0; z < 6; z++)
        {
            for (var y = 0; y < 32; y++)
            {
                for (var x = 0; x < 32; x++)
                {
                    var inside = ((x - 16) * (x - 16)) + ((y - 16) * (y - 16)) < 36;
                    labels[z, y, x] = inside ? (byte)(((x - 16) * (x - 16)) + ((y - 16) * (y - 16)) < 9 ? 3 : 2) : (byte)1;
                    frame[z, y, x] = inside ? 0.9f : 0.1f;
                }
            }
        }

        var options = new DetectionTrainingOptions
        {
            CropSize = (4, 16, 16), CropsPerTimepoint = 2, Epochs = 1, Seed = 7,
            ScaleAugmentation = 0.3, RotationAugmentation = 180, ContrastAugmentation = 0.5,
        };
        using var trainer = new DetectionTrainer(model, [true, true, true, true], options);
        var losses = trainer.Train([new TrainingFrame(frame, labels)]);
        Assert.True(double.IsFinite(losses.Single()), $"loss {losses.Single()}");

        Assert.Throws<ArgumentOutOfRangeException>(() => new DetectionTrainer(model, [true, true, true, true], new DetectionTrainingOptions { ScaleAugmentation = 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DetectionTrainer(model, [true, true, true, true], new DetectionTrainingOptions { RotationAugmentation = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DetectionTrainer(model, [true, true, true, true], new DetectionTrainingOptions { ContrastAugmentation = 1.5 }));
    }

    private static Volume<float> Ramp(int depth, int height, int width, VoxelSize voxel)
    {
        var frame = new Volume<float>(depth, height, width, voxel);
        for (var i = 0; i < frame.Length; i++)
        {
            frame.Span[i] = i % width / 100f;
        }

        return frame;
    }
}
