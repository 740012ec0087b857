using System.CommandLine;
using System.Globalization;

namespace CellVision.Cli.Commands;

/// <summary>Option parsers shared by the commands.</summary>
internal static class Parsing
{
    /// <summary>An option of three positive integers written <c>Z,Y,X</c>.</summary>
    internal static Option<(int Depth, int Height, int Width)> Size(string name, string description, (int, int, int) defaultValue) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = parsed =>
        {
            var text = parsed.Tokens.Single().Value;
            var parts = text.Split(',');
            if (parts.Length == 3 && parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0))
            {
                var v = parts.Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
                return (v[0], v[1], v[2]);
            }

            parsed.AddError($"{name} takes three positive integers Z,Y,X, not '{text}'.");
            return default;
        },
    };

    /// <summary>An option of three integers of at least 0 written <c>Z,Y,X</c> (a radius or margin in voxels).</summary>
    internal static Option<(int Z, int Y, int X)> Extent(string name, string description, (int, int, int) defaultValue) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = parsed =>
        {
            var text = parsed.Tokens.Single().Value;
            var parts = text.Split(',');
            if (parts.Length == 3 && parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            {
                var v = parts.Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
                return (v[0], v[1], v[2]);
            }

            parsed.AddError($"{name} takes three integers of at least 0, Z,Y,X, not '{text}'.");
            return default;
        },
    };

    /// <summary>An option of three positive numbers written <c>X,Y,Z</c> (a voxel size in µm).</summary>
    internal static Option<Core.Geometry.VoxelSize?> VoxelSize(string name) => new(name)
    {
        Description = "Voxel size X,Y,Z in µm [default: from the image file]",
        CustomParser = parsed =>
        {
            var text = parsed.Tokens.Single().Value;
            var parts = text.Split(',');
            if (parts.Length == 3 && parts.All(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0 && double.IsFinite(v)))
            {
                var v = parts.Select(p => double.Parse(p, CultureInfo.InvariantCulture)).ToArray();
                return new Core.Geometry.VoxelSize(v[0], v[1], v[2]);
            }

            parsed.AddError($"{name} takes three positive numbers X,Y,Z, not '{text}'.");
            return null;
        },
    };

    /// <summary>An option of three positive numbers written <c>Z,Y,X</c> (a voxel size in nm, in array order).</summary>
    internal static Option<double[]> ZyxNanometres(string name, string description, double[] defaultValue) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = parsed =>
        {
            var text = parsed.Tokens.Single().Value;
            var parts = text.Split(',');
            if (parts.Length == 3 && parts.All(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0 && double.IsFinite(v)))
            {
                return [.. parts.Select(p => double.Parse(p, CultureInfo.InvariantCulture))];
            }

            parsed.AddError($"{name} takes three positive numbers Z,Y,X in nm, not '{text}'.");
            return defaultValue;
        },
    };
}
