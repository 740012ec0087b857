using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace CellVision.Torch;

/// <summary>
/// An ordered map from dotted names ("encoder.0.weight") to tensors: the parameters and persistent buffers of a
/// <see cref="Module"/>, or the contents of a <c>.pth</c> file. Disposing it releases the tensors it holds.
/// </summary>
[SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix", Justification = "Named after PyTorch's state_dict, which Module.StateDict() returns as in PyTorch.")]
public sealed class StateDict : IReadOnlyDictionary<string, Tensor>, IDisposable
{
    private readonly OrderedDictionary<string, Tensor> entries = new(StringComparer.Ordinal);

    /// <summary>Creates an empty state dict.</summary>
    public StateDict()
    {
    }

    /// <inheritdoc />
    public int Count => entries.Count;

    /// <inheritdoc />
    public IEnumerable<string> Keys => entries.Keys;

    /// <inheritdoc />
    public IEnumerable<Tensor> Values => entries.Values;

    /// <inheritdoc />
    public Tensor this[string key] =>
        entries.TryGetValue(key, out var tensor) ? tensor : throw new KeyNotFoundException($"The state dict has no entry '{key}'.");

    /// <summary>Adds an entry; the state dict takes ownership of <paramref name="tensor"/>.</summary>
    /// <param name="key">Dotted name; must be new.</param>
    /// <param name="tensor">The tensor.</param>
    /// <exception cref="ArgumentException">The key is already present.</exception>
    public void Add(string key, Tensor tensor)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(tensor);
        if (!entries.TryAdd(key, tensor))
        {
            throw new ArgumentException($"The state dict already has an entry '{key}'.", nameof(key));
        }

        tensor.DetachFromDisposeScope();
    }

    /// <inheritdoc />
    public bool ContainsKey(string key) => entries.ContainsKey(key);

    /// <inheritdoc />
    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out Tensor value) => entries.TryGetValue(key, out value);

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, Tensor>> GetEnumerator() => entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Releases every tensor.</summary>
    public void Dispose()
    {
        foreach (var tensor in entries.Values)
        {
            tensor.Dispose();
        }

        entries.Clear();
    }
}
