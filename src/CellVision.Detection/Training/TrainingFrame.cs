using CellVision.Core.Volumes;

namespace CellVision.Detection;

/// <summary>One annotated timepoint: the frame normalised to [0, 1] and its detection labels (same shape).</summary>
/// <param name="Normalised">Intensities normalised to [0, 1], (D, H, W).</param>
/// <param name="Labels">Labels from <see cref="LabelGenerator"/>: 0 ignored, 1–3 true, 4–6 false.</param>
public sealed record TrainingFrame(Volume<float> Normalised, Volume<byte> Labels);
