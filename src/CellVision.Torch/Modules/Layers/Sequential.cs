namespace CellVision.Torch.Modules;

/// <summary>
/// Modules applied one after another, as <c>nn.Sequential</c>. Children are named "0", "1", … by position, including
/// parameter-less ones, so state dict keys equal PyTorch's.
/// </summary>
public sealed class Sequential : Module<Tensor, Tensor>
{
    private readonly List<Module<Tensor, Tensor>> layers = [];

    /// <summary>Creates the sequence.</summary>
    /// <param name="modules">The modules, in order.</param>
    public Sequential(params IEnumerable<Module<Tensor, Tensor>> modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        foreach (var module in modules)
        {
            Append(module);
        }
    }

    /// <summary>Number of modules.</summary>
    public int Count => layers.Count;

    /// <summary>The module at <paramref name="index"/>.</summary>
    /// <param name="index">Position.</param>
    public Module<Tensor, Tensor> this[int index] => layers[index];

    /// <summary>Appends a module named by its position.</summary>
    /// <param name="module">The module.</param>
    /// <returns>This sequence.</returns>
    public Sequential Append(Module<Tensor, Tensor> module)
    {
        RegisterModule(layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), module);
        layers.Add(module);
        return this;
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (layers.Count == 0)
        {
            return input.Alias();
        }

        using var scope = DisposeScope.Enter();
        var current = input;
        foreach (var layer in layers)
        {
            var next = layer.Forward(current);

            // Release each intermediate as soon as the next layer has consumed it, as Python's reference counting does;
            // autograd keeps its own references to what backward needs.
            if (!ReferenceEquals(current, input) && !ReferenceEquals(next, current) && current.Scope == scope)
            {
                current.Dispose();
            }

            current = next;
        }

        return ReferenceEquals(current, input) ? input.Alias() : current.Scope == scope ? scope.MoveToOuter(current) : current;
    }
}
