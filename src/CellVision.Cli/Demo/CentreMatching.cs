using CellVision.Core.Annotations;
using CellVision.Core.Volumes;

namespace CellVision.Cli.Demo;

/// <summary>Precision and recall of detections: a detection is right when its centre lies in a true nucleus not yet claimed.</summary>
internal readonly record struct CentreMatching(int Detected, int Truth, int Matched)
{
    internal double Precision => Detected == 0 ? 0 : Matched / (double)Detected;

    internal double Recall => Truth == 0 ? 0 : Matched / (double)Truth;

    internal double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);

    internal static CentreMatching Of(LineageGraph detections, IReadOnlyList<Volume<ushort>> masks)
    {
        int detected = 0, truth = 0, matched = 0;
        for (var t = 0; t < masks.Count; t++)
        {
            var mask = masks[t];
            var size = mask.VoxelSize;
            var labels = new HashSet<ushort>();
            foreach (var value in mask.Span)
            {
                if (value != 0)
                {
                    labels.Add(value);
                }
            }

            truth += labels.Count;
            var claimed = new HashSet<ushort>();
            foreach (var spot in detections.SpotsAt(t))
            {
                detected++;
                int z = (int)Math.Round(spot.Z / size.Z), y = (int)Math.Round(spot.Y / size.Y), x = (int)Math.Round(spot.X / size.X);
                if (z >= 0 && y >= 0 && x >= 0 && z < mask.Depth && y < mask.Height && x < mask.Width && mask[z, y, x] is var label && label != 0 && claimed.Add(label))
                {
                    matched++;
                }
            }
        }

        return new CentreMatching(detected, truth, matched);
    }
}
