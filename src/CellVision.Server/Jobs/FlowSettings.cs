using CellVision.Core.Geometry;
using CellVision.Networks;
using CellVision.Server.Http;
using CellVision.Tracking;

namespace CellVision.Server.Jobs;

/// <summary>
/// The keep-Z levels and norm factor of a flow request: <c>n_keep_axials</c> when sent, else the client's rule from the
/// scales (the power of two nearest the anisotropy), so that <c>/flow/update</c> (which the client sends without
/// <c>n_keep_axials</c>) and <c>/flow/train</c> scale Z alike; the original used 0 levels for updates.
/// </summary>
/// <param name="KeepAxialLevels">Levels of the U-Net that keep Z.</param>
/// <param name="NormFactor">(m, m, m / 2^levels) with m = <c>max_displacement</c>.</param>
internal sealed record FlowSettings(int KeepAxialLevels, FlowNormFactor NormFactor)
{
    /// <summary>Reads <c>n_keep_axials</c> and <c>max_displacement</c> (default 80).</summary>
    /// <param name="request">The request.</param>
    /// <param name="voxelSize">The request's scales.</param>
    public static FlowSettings From(ElephantJsonRequest request, VoxelSize voxelSize)
    {
        var levels = Math.Min(4, request.Int("n_keep_axials", KeepAxials.LevelsFromAnisotropy(voxelSize.Z / voxelSize.X)));
        var maxDisplacement = request.Double("max_displacement", FlowNormFactor.DefaultMaxDisplacement);
        if (levels < 0 || !(maxDisplacement > 0))
        {
            throw new ElephantRequestException("n_keep_axials must not be negative and max_displacement must be positive");
        }

        return new FlowSettings(levels, FlowNormFactor.FromMaxDisplacement(maxDisplacement, levels));
    }

    /// <summary>The four keep-axial flags.</summary>
    public bool[] KeepAxialFlags => KeepAxials.FromLevels(KeepAxialLevels);
}
