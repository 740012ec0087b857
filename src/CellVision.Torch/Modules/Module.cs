using System.Diagnostics.CodeAnalysis;

namespace CellVision.Torch;

/// <summary>
/// A neural-network component with named parameters, buffers and child modules, as PyTorch's <c>nn.Module</c>.
/// Names and registration order match PyTorch, so <see cref="StateDict"/> keys equal those of the same model in Python.
/// </summary>
/// <remarks>The module owns its parameters and buffers; <see cref="Dispose()"/> releases them and its children.</remarks>
[SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Justification = "Named after PyTorch's nn.Module, the name its users look for; Module is a keyword in Visual Basic only.")]
public abstract class Module : IDisposable
{
    private readonly OrderedDictionary<string, Tensor?> parameters = new(StringComparer.Ordinal);
    private readonly OrderedDictionary<string, (Tensor? Tensor, bool Persistent)> buffers = new(StringComparer.Ordinal);
    private readonly OrderedDictionary<string, Module?> children = new(StringComparer.Ordinal);
    private bool disposed;

    /// <summary>Whether the module is in training mode (dropout active, batch statistics used). New modules train.</summary>
    public bool IsTraining { get; private set; } = true;

    /// <summary>Parameters with their dotted names, this module's first, then each child's, in registration order.</summary>
    public IEnumerable<(string Name, Tensor Parameter)> NamedParameters() => Collect(m => m.parameters.Where(p => p.Value is not null).Select(p => (p.Key, p.Value!)));

    /// <summary>All parameters, in the order of <see cref="NamedParameters"/>.</summary>
    public IEnumerable<Tensor> Parameters() => NamedParameters().Select(p => p.Parameter);

    /// <summary>Buffers (running statistics and the like) with their dotted names.</summary>
    public IEnumerable<(string Name, Tensor Buffer)> NamedBuffers() => Collect(m => m.buffers.Where(b => b.Value.Tensor is not null).Select(b => (b.Key, b.Value.Tensor!)));

    /// <summary>Direct children with their names.</summary>
    public IEnumerable<(string Name, Module Module)> NamedChildren() => children.Where(c => c.Value is not null).Select(c => (c.Key, c.Value!));

    /// <summary>
    /// The parameters and persistent buffers, keyed as in PyTorch. The tensors are detached references sharing the
    /// module's memory; disposing the result releases the references, not the module's tensors.
    /// </summary>
    public StateDict StateDict()
    {
        var result = new StateDict();
        foreach (var (name, tensor) in StateEntries())
        {
            result.Add(name, tensor.Detach());
        }

        return result;
    }

    /// <summary>Copies values from <paramref name="source"/> into the matching parameters and buffers.</summary>
    /// <param name="source">Tensors keyed as <see cref="StateDict"/>.</param>
    /// <param name="strict">Throw when keys are missing or unexpected (PyTorch default true).</param>
    /// <returns>The keys that did not match (empty in strict mode).</returns>
    /// <exception cref="StateDictMismatchException">Shapes differ, or keys differ in strict mode. Nothing is modified then.</exception>
    public LoadStateDictResult LoadStateDict(IReadOnlyDictionary<string, Tensor> source, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(source);
        var own = StateEntries().ToList();
        var ownNames = own.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        var missing = own.Where(e => !source.ContainsKey(e.Name)).Select(e => e.Name).ToList();
        var unexpected = source.Keys.Where(k => !ownNames.Contains(k)).ToList();
        var shapeMismatches = new List<string>();
        foreach (var (name, tensor) in own)
        {
            if (source.TryGetValue(name, out var value))
            {
                var expected = tensor.Shape;
                var actual = value.Shape;
                if (!expected.AsSpan().SequenceEqual(actual))
                {
                    shapeMismatches.Add($"{name}: module [{string.Join(", ", expected)}] vs state dict [{string.Join(", ", actual)}]");
                }
            }
        }

        if (shapeMismatches.Count > 0 || (strict && (missing.Count > 0 || unexpected.Count > 0)))
        {
            throw new StateDictMismatchException(missing, unexpected, shapeMismatches);
        }

        using (GradientMode.NoGrad())
        {
            foreach (var (name, tensor) in own)
            {
                if (source.TryGetValue(name, out var value))
                {
                    tensor.CopyFrom(value);
                }
            }
        }

        return new LoadStateDictResult(missing, unexpected);
    }

    /// <summary>Sets training mode on this module and all children.</summary>
    /// <param name="training">True for training, false for evaluation.</param>
    /// <returns>This module.</returns>
    public Module Train(bool training = true)
    {
        IsTraining = training;
        foreach (var (_, child) in NamedChildren())
        {
            child.Train(training);
        }

        return this;
    }

    /// <summary>Sets evaluation mode (dropout off, running statistics used) on this module and all children.</summary>
    /// <returns>This module.</returns>
    public Module Eval() => Train(false);

    /// <summary>
    /// Moves every parameter and buffer to <paramref name="device"/>, and floating-point ones to <paramref name="type"/>
    /// when given. Tensors keep their identity, so optimisers built earlier stay valid.
    /// </summary>
    /// <param name="device">The device.</param>
    /// <param name="type">A floating-point type, or null to keep types.</param>
    /// <returns>This module.</returns>
    /// <exception cref="CudaUnavailableException">CUDA was requested without CUDA.</exception>
    public Module To(Device device, ScalarType? type = null)
    {
        device.EnsureAvailable();
        if (type is { } t && !t.IsFloatingPoint())
        {
            throw new ArgumentException($"Modules convert only to floating-point types, not {t}.", nameof(type));
        }

        using var scope = DisposeScope.Enter();
        using (GradientMode.NoGrad())
        {
            foreach (var tensor in Parameters().Concat(NamedBuffers().Select(b => b.Buffer)))
            {
                var target = type is { } floating && tensor.ScalarType.IsFloatingPoint() ? floating : tensor.ScalarType;
                tensor.SetData(tensor.To(device, target));
            }
        }

        return this;
    }

    /// <summary>Removes the gradients of all parameters (as <c>zero_grad(set_to_none=True)</c>).</summary>
    public void ZeroGrad()
    {
        foreach (var parameter in Parameters())
        {
            parameter.ClearGrad();
        }
    }

    /// <summary>Releases parameters, buffers and children.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases parameters, buffers and children when <paramref name="disposing"/>.</summary>
    /// <param name="disposing">True when called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (disposed || !disposing)
        {
            return;
        }

        disposed = true;
        foreach (var tensor in parameters.Values)
        {
            tensor?.Dispose();
        }

        foreach (var (tensor, _) in buffers.Values)
        {
            tensor?.Dispose();
        }

        foreach (var child in children.Values)
        {
            child?.Dispose();
        }
    }

    /// <summary>Registers a parameter (a tensor that receives gradients and is trained). The module takes ownership.</summary>
    /// <param name="name">Name without dots, as the PyTorch attribute name.</param>
    /// <param name="parameter">The tensor, or null for an absent optional parameter (such as a disabled bias).</param>
    /// <returns>The parameter.</returns>
    protected Tensor? RegisterParameter(string name, Tensor? parameter)
    {
        CheckName(name);
        if (parameter is not null)
        {
            parameter.DetachFromDisposeScope();
            parameter.RequiresGrad = true;
        }

        parameters.Add(name, parameter);
        return parameter;
    }

    /// <summary>Registers a buffer (state that is saved but not trained, such as running statistics). The module takes ownership.</summary>
    /// <param name="name">Name without dots.</param>
    /// <param name="buffer">The tensor, or null.</param>
    /// <param name="persistent">Whether <see cref="StateDict"/> includes it.</param>
    /// <returns>The buffer.</returns>
    protected Tensor? RegisterBuffer(string name, Tensor? buffer, bool persistent = true)
    {
        CheckName(name);
        buffer?.DetachFromDisposeScope();
        buffers.Add(name, (buffer, persistent));
        return buffer;
    }

    /// <summary>Registers a child module under <paramref name="name"/>; its entries appear as "name.entry".</summary>
    /// <typeparam name="T">The module type.</typeparam>
    /// <param name="name">Name without dots.</param>
    /// <param name="module">The child.</param>
    /// <returns>The child.</returns>
    protected T RegisterModule<T>(string name, T module)
        where T : Module
    {
        CheckName(name);
        ArgumentNullException.ThrowIfNull(module);
        children.Add(name, module);
        module.Train(IsTraining);
        return module;
    }

    private IEnumerable<(string Name, Tensor Tensor)> StateEntries()
    {
        foreach (var (name, tensor) in parameters)
        {
            if (tensor is not null)
            {
                yield return (name, tensor);
            }
        }

        foreach (var (name, (tensor, persistent)) in buffers)
        {
            if (tensor is not null && persistent)
            {
                yield return (name, tensor);
            }
        }

        foreach (var (childName, child) in NamedChildren())
        {
            foreach (var (name, tensor) in child.StateEntries())
            {
                yield return ($"{childName}.{name}", tensor);
            }
        }
    }

    private IEnumerable<(string Name, Tensor Tensor)> Collect(Func<Module, IEnumerable<(string, Tensor)>> own)
    {
        foreach (var entry in own(this))
        {
            yield return entry;
        }

        foreach (var (childName, child) in NamedChildren())
        {
            foreach (var (name, tensor) in child.Collect(own))
            {
                yield return ($"{childName}.{name}", tensor);
            }
        }
    }

    private void CheckName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains('.', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Module entry names cannot contain '.': '{name}'.", nameof(name));
        }

        if (parameters.ContainsKey(name) || buffers.ContainsKey(name) || children.ContainsKey(name))
        {
            throw new ArgumentException($"'{name}' is already registered in {GetType().Name}.", nameof(name));
        }
    }
}

/// <summary>A module with a typed forward computation.</summary>
/// <typeparam name="TInput">The input type.</typeparam>
/// <typeparam name="TOutput">The output type.</typeparam>
[SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Justification = "The typed form of Module, named after PyTorch's nn.Module; Module is a keyword in Visual Basic only.")]
public abstract class Module<TInput, TOutput> : Module
{
    /// <summary>Computes the output.</summary>
    /// <param name="input">The input.</param>
    public abstract TOutput Forward(TInput input);
}
