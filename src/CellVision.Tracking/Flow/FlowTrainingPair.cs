using CellVision.Core.Volumes;

namespace CellVision.Tracking;

/// <summary>
/// One training item of the flow model: frames t and t + 1, each min–max normalised to [0, 1] on its own, and the flow
/// label of the pair (on the frame t + 1 grid, see <see cref="FlowLabelGenerator"/>). All three have one shape; the
/// frames' voxel size scales the scale augmentation per axis.
/// </summary>
/// <param name="Current">Frame t, normalised.</param>
/// <param name="Next">Frame t + 1, normalised.</param>
/// <param name="Label">Flow label of the pair.</param>
public sealed record FlowTrainingPair(Volume<float> Current, Volume<float> Next, FlowLabel Label);
