using System.Numerics;
using CellVision.Core.Volumes;

namespace CellVision.Cli.Commands;

/// <summary>Receives a label volume in its own voxel type.</summary>
internal interface ILabelVolumeVisitor<out TResult>
{
    TResult Visit<T>(Volume<T> volume)
        where T : unmanaged, IBinaryInteger<T>;
}

/// <summary>A label volume read from a file, in whatever integer type the file holds; dispose to free the voxels.</summary>
internal abstract class LabelVolume : IDisposable
{
    /// <summary>The file it came from, for messages.</summary>
    internal abstract string Source { get; }

    /// <summary>The voxel type's name (uint8, int32, …), for messages.</summary>
    internal abstract string TypeName { get; }

    /// <summary>The extent, for messages and checks.</summary>
    internal abstract (int Depth, int Height, int Width) Shape { get; }

    /// <summary>The shape as "Z×Y×X".</summary>
    internal string ShapeText => $"{Shape.Depth}×{Shape.Height}×{Shape.Width}";

    internal static LabelVolume Of<T>(Volume<T> volume, string source, string typeName)
        where T : unmanaged, IBinaryInteger<T> => new Typed<T>(volume, source, typeName);

    /// <summary>Hands the volume to <paramref name="visitor"/> with its voxel type.</summary>
    internal abstract TResult Accept<TResult>(ILabelVolumeVisitor<TResult> visitor);

    public abstract void Dispose();

    private sealed class Typed<T>(Volume<T> volume, string source, string typeName) : LabelVolume
        where T : unmanaged, IBinaryInteger<T>
    {
        internal override string Source => source;

        internal override string TypeName => typeName;

        internal override (int Depth, int Height, int Width) Shape => (volume.Depth, volume.Height, volume.Width);

        internal override TResult Accept<TResult>(ILabelVolumeVisitor<TResult> visitor) => visitor.Visit(volume);

        public override void Dispose() => volume.Dispose();
    }
}
