namespace CellVision.Torch.Serialization;

/// <summary>PyTorch's typed storage class names ("torch.FloatStorage") and their element types.</summary>
internal static class StorageTypes
{
    private static readonly Dictionary<string, ScalarType> ByName = new(StringComparer.Ordinal)
    {
        ["FloatStorage"] = ScalarType.Float32,
        ["DoubleStorage"] = ScalarType.Float64,
        ["HalfStorage"] = ScalarType.Float16,
        ["BFloat16Storage"] = ScalarType.BFloat16,
        ["LongStorage"] = ScalarType.Int64,
        ["IntStorage"] = ScalarType.Int32,
        ["ShortStorage"] = ScalarType.Int16,
        ["CharStorage"] = ScalarType.Int8,
        ["ByteStorage"] = ScalarType.UInt8,
        ["BoolStorage"] = ScalarType.Bool,
    };

    internal static bool TryGet(string name, out ScalarType type) => ByName.TryGetValue(name, out type);

    internal static string NameOf(ScalarType type) =>
        ByName.FirstOrDefault(pair => pair.Value == type).Key ?? throw new NotSupportedException($"Tensors of type {type} cannot be saved to .pth.");
}
