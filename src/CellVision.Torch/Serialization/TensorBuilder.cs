using System.IO.Compression;

namespace CellVision.Torch.Serialization;

/// <summary>Turns unpickled values into public objects, creating native tensors from the archive's storages.</summary>
internal sealed class TensorBuilder(ZipArchive archive, string root, string name)
{
    private readonly Dictionary<string, Tensor> storages = new(StringComparer.Ordinal);

    /// <summary>Every tensor made (storages and views); the caller takes ownership of the views it returns.</summary>
    internal List<Tensor> Created { get; } = [];

    internal object? Convert(object? value) => value switch
    {
        null or string or long or double or bool or System.Numerics.BigInteger => value,
        PickleTensor tensor => Build(tensor),
        PickleDict dict => ToDictionary(dict),
        List<object?> list => list.Select(Convert).ToList(),
        PickleTuple tuple => tuple.Items.Select(Convert).ToList(),
        _ => throw new PthFormatException($"{name}: a {value.GetType().Name} cannot stand in a state dict."),
    };

    private OrderedDictionary<string, object?> ToDictionary(PickleDict dict)
    {
        var result = new OrderedDictionary<string, object?>(dict.Items.Count, StringComparer.Ordinal);
        foreach (var (key, value) in dict.Items)
        {
            var text = key as string ?? System.Convert.ToString(key, System.Globalization.CultureInfo.InvariantCulture)
                ?? throw new PthFormatException($"{name}: a dict key cannot be read.");
            result[text] = Convert(value);
        }

        return result;
    }

    private Tensor Build(PickleTensor tensor)
    {
        var storage = LoadStorage(tensor.Storage);
        CheckBounds(tensor);
        var view = storage.AsStrided(tensor.Shape, tensor.Strides, tensor.StorageOffset);
        Created.Add(view);
        return view;
    }

    private void CheckBounds(PickleTensor tensor)
    {
        if (tensor.Shape.Length != tensor.Strides.Length || tensor.StorageOffset < 0 || tensor.Shape.Any(s => s < 0) || tensor.Strides.Any(s => s < 0))
        {
            throw new PthFormatException($"{name}: a tensor has an invalid shape, stride or offset.");
        }

        if (tensor.Shape.Any(s => s == 0))
        {
            return;
        }

        var last = tensor.StorageOffset;
        for (var i = 0; i < tensor.Shape.Length; i++)
        {
            last += (tensor.Shape[i] - 1) * tensor.Strides[i];
        }

        if (last >= tensor.Storage.ElementCount)
        {
            throw new PthFormatException($"{name}: a tensor reaches element {last} of storage '{tensor.Storage.Key}', which holds {tensor.Storage.ElementCount}.");
        }
    }

    private Tensor LoadStorage(PickleStorage storage)
    {
        if (storages.TryGetValue(storage.Key, out var existing))
        {
            return existing;
        }

        var entry = archive.GetEntry($"{root}data/{storage.Key}")
            ?? throw new PthFormatException($"{name}: the storage '{root}data/{storage.Key}' is missing from the archive.");
        var expected = storage.ElementCount * storage.Type.ElementSize();
        if (entry.Length != expected)
        {
            throw new PthFormatException($"{name}: storage '{storage.Key}' has {entry.Length} bytes but {storage.ElementCount} {storage.Type} elements need {expected}.");
        }

        var bytes = PthFile.ReadEntry(entry, name);
        var tensor = Tensor.FromBytes(bytes, storage.Type, [storage.ElementCount]);
        storages[storage.Key] = tensor;
        return tensor;
    }
}
