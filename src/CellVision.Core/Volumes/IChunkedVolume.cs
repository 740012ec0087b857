namespace CellVision.Core.Volumes;

/// <summary>
/// An N-dimensional array too large to hold in memory, read and written region by region (a Zarr array in
/// CellVision.IO, or any store a program provides). Models and kernels that work block-wise take this, not a path.
/// </summary>
public interface IChunkedVolume
{
    /// <summary>Extent of each dimension, in C order (for a volume: Z, Y, X).</summary>
    IReadOnlyList<long> Shape { get; }

    /// <summary>Number of dimensions.</summary>
    int Rank { get; }

    /// <summary>Bytes per element.</summary>
    int ElementSize { get; }

    /// <summary>Reads <paramref name="region"/> into <paramref name="destination"/> in C order.</summary>
    /// <typeparam name="T">The element type matching the array's.</typeparam>
    /// <param name="region">A box inside the array.</param>
    /// <param name="destination">Exactly as many elements as the region holds.</param>
    /// <param name="progress">Receives the fraction done, or null.</param>
    /// <param name="cancellationToken">Stops between chunks.</param>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> is not the element type, or the sizes differ.</exception>
    void Read<T>(Box region, Span<T> destination, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
        where T : unmanaged;

    /// <summary>Writes <paramref name="source"/> (C order) into <paramref name="region"/>.</summary>
    /// <typeparam name="T">The element type matching the array's.</typeparam>
    /// <param name="region">A box inside the array.</param>
    /// <param name="source">Exactly as many elements as the region holds.</param>
    /// <param name="progress">Receives the fraction done, or null.</param>
    /// <param name="cancellationToken">Stops between chunks.</param>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> is not the element type, or the sizes differ.</exception>
    void Write<T>(Box region, ReadOnlySpan<T> source, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
        where T : unmanaged;
}
