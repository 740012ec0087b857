namespace CellVision.Torch.Serialization;

/// <summary>A reference to an allowed Python global (class or function) met in a pickle.</summary>
internal sealed record PickleGlobal(string Module, string Name)
{
    public override string ToString() => $"{Module}.{Name}";
}

/// <summary>A Python tuple.</summary>
internal sealed record PickleTuple(object?[] Items);

/// <summary>A Python dict or OrderedDict, in insertion order.</summary>
internal sealed class PickleDict
{
    internal List<KeyValuePair<object, object?>> Items { get; } = [];
}

/// <summary>A typed storage named by a persistent id: ("storage", torch.FloatStorage, key, location, numel).</summary>
internal sealed record PickleStorage(string Key, ScalarType Type, long ElementCount);

/// <summary>A tensor rebuilt by <c>torch._utils._rebuild_tensor_v2</c>: a strided view of a storage.</summary>
internal sealed record PickleTensor(PickleStorage Storage, long StorageOffset, long[] Shape, long[] Strides, bool RequiresGrad);

/// <summary>A NumPy dtype met while reading a NumPy scalar: its type code ('f8', 'i8', …) and byte order.</summary>
internal sealed class NumpyDtype(string code)
{
    internal string Code { get; } = code;

    internal string ByteOrder { get; set; } = "<";
}
