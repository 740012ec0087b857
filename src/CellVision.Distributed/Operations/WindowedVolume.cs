using System.Runtime.InteropServices;
using CellVision.Core.Volumes;

namespace CellVision.Distributed.Operations;

/// <summary>
/// A three-dimensional volume of some shape that keeps only one box of it (the window) in memory: writes keep their
/// part inside the window and drop the rest, reads must lie inside the window. A task predicts into it and then writes
/// the window to the shared output in one go, so the output sees whole chunks only.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal sealed class WindowedVolume<T> : IChunkedVolume
    where T : unmanaged
{
    private readonly long[] shape;

    public WindowedVolume(IReadOnlyList<long> shape, Box window)
    {
        if (shape.Count != 3 || window.Rank != 3 || !Box.FromShape([.. shape]).Contains(window))
        {
            throw new ArgumentException($"The window {window} must lie inside the three-dimensional shape [{string.Join(", ", shape)}].", nameof(window));
        }

        this.shape = [.. shape];
        Window = window;
        Values = new T[window.ElementCount];
    }

    /// <summary>The box kept.</summary>
    public Box Window { get; }

    /// <summary>The window's voxels, C order.</summary>
    public T[] Values { get; }

    public IReadOnlyList<long> Shape => shape;

    public int Rank => 3;

    public int ElementSize => Marshal.SizeOf<T>();

    public void Read<TElement>(Box region, Span<TElement> destination, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
        where TElement : unmanaged
    {
        CheckType<TElement>(region, destination.Length);
        if (!Window.Contains(region))
        {
            throw new ArgumentException($"The region {region} does not lie inside the window {Window} this volume keeps.", nameof(region));
        }

        Copy(Values, Window, MemoryMarshal.Cast<TElement, T>(destination), region, region);
        progress?.Report(1);
    }

    public void Write<TElement>(Box region, ReadOnlySpan<TElement> source, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
        where TElement : unmanaged
    {
        CheckType<TElement>(region, source.Length);
        var kept = region.Intersect(Window);
        if (!kept.IsEmpty)
        {
            Copy(MemoryMarshal.Cast<TElement, T>(source), region, Values, Window, kept);
        }

        progress?.Report(1);
    }

    /// <summary>Copies the voxels of <paramref name="part"/> from a buffer covering <paramref name="from"/> into one covering <paramref name="to"/>, row by row.</summary>
    private static void Copy(ReadOnlySpan<T> source, Box from, Span<T> target, Box to, Box part)
    {
        var width = (int)part.Size[2];
        for (var z = part.Start[0]; z < part.Start[0] + part.Size[0]; z++)
        {
            for (var y = part.Start[1]; y < part.Start[1] + part.Size[1]; y++)
            {
                source.Slice(Offset(from, z, y, part.Start[2]), width).CopyTo(target.Slice(Offset(to, z, y, part.Start[2]), width));
            }
        }
    }

    private static int Offset(Box box, long z, long y, long x) =>
        checked((int)((((((z - box.Start[0]) * box.Size[1]) + (y - box.Start[1])) * box.Size[2]) + (x - box.Start[2]))));

    private void CheckType<TElement>(Box region, int length)
        where TElement : unmanaged
    {
        if (typeof(TElement) != typeof(T))
        {
            throw new ArgumentException($"This volume holds {typeof(T).Name}, not {typeof(TElement).Name}.", nameof(TElement));
        }

        if (region.Rank != 3 || region.ElementCount != length || !Box.FromShape(shape).Contains(region))
        {
            throw new ArgumentException($"The region {region} must lie inside [{string.Join(", ", shape)}] and match the {length} values given.", nameof(region));
        }
    }
}
