using CellVision.Core.Volumes;

namespace CellVision.Detection.Training;

/// <summary>
/// Draws ELEPHANT's training crops: a labelled voxel b is chosen uniformly, the crop origin per axis uniformly from
/// [max(0, b − (c − 1)), min(size − c, b)] so the crop contains b, and each axis is flipped with probability 1/2.
/// </summary>
internal sealed class CropSampler
{
    private readonly TrainingFrame _frame;
    private readonly int[] _pool;

    internal CropSampler(TrainingFrame frame, (int Depth, int Height, int Width) cropSize)
    {
        _frame = frame;
        var labels = frame.Labels.Span;
        var pool = new List<int>();
        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i] > 0)
            {
                pool.Add(i);
            }
        }

        _pool = [.. pool];
        Crop = (Math.Min(cropSize.Depth, frame.Labels.Depth), Math.Min(cropSize.Height, frame.Labels.Height), Math.Min(cropSize.Width, frame.Labels.Width));
    }

    /// <summary>Crop size after clipping to the frame.</summary>
    internal (int Depth, int Height, int Width) Crop { get; }

    /// <summary>Whether the frame has any labelled voxel.</summary>
    internal bool HasLabels => _pool.Length > 0;

    /// <summary>Writes one random crop of the frame and its labels into the destinations (crop-sized, C order).</summary>
    internal void Draw(Random random, Span<float> input, Span<byte> labels)
    {
        var volume = _frame.Labels;
        var b = _pool[random.Next(_pool.Length)];
        var plane = volume.Height * volume.Width;
        int[] centre = [b / plane, b / volume.Width % volume.Height, b % volume.Width];
        int[] size = [volume.Depth, volume.Height, volume.Width];
        int[] crop = [Crop.Depth, Crop.Height, Crop.Width];
        var origin = new int[3];
        var flip = new bool[3];
        for (var axis = 0; axis < 3; axis++)
        {
            var low = Math.Max(0, centre[axis] - (crop[axis] - 1));
            var high = Math.Min(size[axis] - crop[axis], centre[axis]);
            origin[axis] = random.Next(low, high + 1);
            flip[axis] = random.Next(2) == 1;
        }

        var source = _frame.Normalised.Span;
        var sourceLabels = volume.Span;
        var index = 0;
        for (var z = 0; z < crop[0]; z++)
        {
            var sz = origin[0] + (flip[0] ? crop[0] - 1 - z : z);
            for (var y = 0; y < crop[1]; y++)
            {
                var sy = origin[1] + (flip[1] ? crop[1] - 1 - y : y);
                var row = ((sz * volume.Height) + sy) * volume.Width;
                for (var x = 0; x < crop[2]; x++, index++)
                {
                    var sx = origin[2] + (flip[2] ? crop[2] - 1 - x : x);
                    input[index] = source[row + sx];
                    labels[index] = sourceLabels[row + sx];
                }
            }
        }
    }
}
