namespace CellVision.Torch;

/// <summary>
/// Collects every tensor created on this thread while it is the innermost scope, and disposes them all when it is
/// disposed, so model code needs no <c>using</c> per temporary. Scopes nest; a result that must outlive the scope
/// is passed up with <see cref="MoveToOuter(Tensor)"/> or taken out with <see cref="Tensor.DetachFromDisposeScope"/>.
/// </summary>
/// <example>
/// <code>
/// using (var scope = DisposeScope.Enter())
/// {
///     var loss = Losses.MeanSquaredError(model.Forward(x), y);
///     loss.Backward();
///     optimizer.Step();
/// } // every temporary tensor is released here
/// </code>
/// </example>
public sealed class DisposeScope : IDisposable
{
    [ThreadStatic]
    private static DisposeScope? current;

    private readonly HashSet<Tensor> tensors = new(ReferenceEqualityComparer.Instance);
    private readonly DisposeScope? outer;
    private bool disposed;

    private DisposeScope(DisposeScope? outer) => this.outer = outer;

    /// <summary>The innermost open scope on this thread, or null.</summary>
    public static DisposeScope? Current => current;

    /// <summary>Number of tensors this scope will dispose.</summary>
    public int Count => tensors.Count;

    /// <summary>Opens a scope nested in the current one and makes it current.</summary>
    /// <returns>The new scope; dispose it on the same thread.</returns>
    public static DisposeScope Enter()
    {
        var scope = new DisposeScope(current);
        current = scope;
        return scope;
    }

    /// <summary>Hands <paramref name="tensor"/> to the enclosing scope (or to the caller when there is none).</summary>
    /// <param name="tensor">A tensor registered in this scope.</param>
    /// <returns>The same tensor.</returns>
    /// <exception cref="ArgumentException">The tensor does not belong to this scope.</exception>
    public Tensor MoveToOuter(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (!tensors.Remove(tensor))
        {
            throw new ArgumentException("The tensor does not belong to this dispose scope.", nameof(tensor));
        }

        tensor.Scope = outer;
        outer?.tensors.Add(tensor);
        return tensor;
    }

    /// <summary>Hands several tensors to the enclosing scope.</summary>
    /// <param name="tensorsToMove">Tensors registered in this scope.</param>
    public void MoveToOuter(params ReadOnlySpan<Tensor> tensorsToMove)
    {
        foreach (var tensor in tensorsToMove)
        {
            MoveToOuter(tensor);
        }
    }

    /// <summary>Disposes every tensor still registered here and makes the enclosing scope current again.</summary>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        var owned = tensors.ToArray();
        tensors.Clear();
        foreach (var tensor in owned)
        {
            tensor.Scope = null;
            tensor.Dispose();
        }

        if (ReferenceEquals(current, this))
        {
            current = outer;
        }
    }

    internal void Register(Tensor tensor) => tensors.Add(tensor);

    internal void Forget(Tensor tensor) => tensors.Remove(tensor);
}
