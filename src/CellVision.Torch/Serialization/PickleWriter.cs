using System.Buffers.Binary;
using System.Collections;
using System.Text;

namespace CellVision.Torch.Serialization;

/// <summary>
/// Writes pickle protocol 2 in the shape <c>torch.save</c> produces: state dicts and other dicts as
/// <c>collections.OrderedDict</c> (a <see cref="Dictionary{TKey, TValue}"/> as a plain <c>dict</c>), tensors as
/// <c>torch._utils._rebuild_tensor_v2</c> over a persistent storage id, each tensor in its own storage.
/// </summary>
internal sealed class PickleWriter : IDisposable
{
    private readonly MemoryStream output = new();

    /// <summary>Raw bytes of each storage, in key order "0", "1", ….</summary>
    internal List<byte[]> Storages { get; } = [];

    internal byte[] Write(object? value)
    {
        output.WriteByte(0x80);
        output.WriteByte(2);
        WriteValue(value);
        output.WriteByte((byte)'.');
        return output.ToArray();
    }

    public void Dispose() => output.Dispose();

    private void WriteValue(object? value)
    {
        switch (value)
        {
            case null: output.WriteByte((byte)'N'); break;
            case bool b: output.WriteByte(b ? (byte)0x88 : (byte)0x89); break;
            case string s: WriteString(s); break;
            case int i: WriteInteger(i); break;
            case long l: WriteInteger(l); break;
            case float f: WriteDouble(f); break;
            case double d: WriteDouble(d); break;
            case Tensor tensor: WriteTensor(tensor); break;
            case IEnumerable<KeyValuePair<string, Tensor>> tensors: WriteDictionary(tensors.Select(p => new KeyValuePair<string, object?>(p.Key, p.Value)), ordered: true); break;
            case Dictionary<string, object?> plain: WriteDictionary(plain, ordered: false); break;
            case IEnumerable<KeyValuePair<string, object?>> items: WriteDictionary(items, ordered: true); break;
            case IEnumerable list when value is not string: WriteList(list); break;
            default: throw new ArgumentException($"A {value.GetType().Name} cannot be saved to .pth; use tensors, dicts with string keys, lists, strings, numbers, booleans or null.", nameof(value));
        }
    }

    private void WriteDictionary(IEnumerable<KeyValuePair<string, object?>> items, bool ordered)
    {
        if (ordered)
        {
            WriteGlobal("collections", "OrderedDict");
            output.WriteByte((byte)')');
            output.WriteByte((byte)'R');
        }
        else
        {
            output.WriteByte((byte)'}'); // EMPTY_DICT
        }

        var batch = 0;
        foreach (var (key, item) in items)
        {
            if (batch == 0)
            {
                output.WriteByte((byte)'(');
            }

            WriteString(key);
            WriteValue(item);
            if (++batch == 1000)
            {
                output.WriteByte((byte)'u');
                batch = 0;
            }
        }

        if (batch > 0)
        {
            output.WriteByte((byte)'u');
        }
    }

    private void WriteList(IEnumerable items)
    {
        output.WriteByte((byte)']');
        output.WriteByte((byte)'(');
        foreach (var item in items)
        {
            WriteValue(item);
        }

        output.WriteByte((byte)'e');
    }

    private void WriteTensor(Tensor tensor)
    {
        var key = Storages.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var type = tensor.ScalarType;
        var shape = tensor.Shape;
        Storages.Add(tensor.ToBytes());

        WriteGlobal("torch._utils", "_rebuild_tensor_v2");
        output.WriteByte((byte)'(');
        output.WriteByte((byte)'(');
        WriteString("storage");
        WriteGlobal("torch", StorageTypes.NameOf(type));
        WriteString(key);
        WriteString("cpu");
        WriteInteger(tensor.ElementCount);
        output.WriteByte((byte)'t');
        output.WriteByte((byte)'Q');
        WriteInteger(0);
        WriteTuple(shape);
        WriteTuple(ContiguousStrides(shape));
        output.WriteByte(0x89);
        WriteGlobal("collections", "OrderedDict");
        output.WriteByte((byte)')');
        output.WriteByte((byte)'R');
        output.WriteByte((byte)'t');
        output.WriteByte((byte)'R');
    }

    private static long[] ContiguousStrides(long[] shape)
    {
        var strides = new long[shape.Length];
        long step = 1;
        for (var i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = step;
            step *= Math.Max(shape[i], 1);
        }

        return strides;
    }

    private void WriteTuple(long[] values)
    {
        output.WriteByte((byte)'(');
        foreach (var value in values)
        {
            WriteInteger(value);
        }

        output.WriteByte((byte)'t');
    }

    private void WriteGlobal(string module, string name)
    {
        output.WriteByte((byte)'c');
        output.Write(Encoding.ASCII.GetBytes($"{module}\n{name}\n"));
    }

    private void WriteString(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        Span<byte> header = stackalloc byte[5];
        header[0] = (byte)'X';
        BinaryPrimitives.WriteInt32LittleEndian(header[1..], bytes.Length);
        output.Write(header);
        output.Write(bytes);
    }

    private void WriteInteger(long value)
    {
        Span<byte> buffer = stackalloc byte[10];
        if (value is >= 0 and <= byte.MaxValue)
        {
            buffer[0] = (byte)'K';
            buffer[1] = (byte)value;
            output.Write(buffer[..2]);
        }
        else if (value is >= int.MinValue and <= int.MaxValue)
        {
            buffer[0] = (byte)'J';
            BinaryPrimitives.WriteInt32LittleEndian(buffer[1..], (int)value);
            output.Write(buffer[..5]);
        }
        else
        {
            buffer[0] = 0x8a;
            buffer[1] = 8;
            BinaryPrimitives.WriteInt64LittleEndian(buffer[2..], value);
            output.Write(buffer[..10]);
        }
    }

    private void WriteDouble(double value)
    {
        Span<byte> buffer = stackalloc byte[9];
        buffer[0] = (byte)'G';
        BinaryPrimitives.WriteDoubleBigEndian(buffer[1..], value);
        output.Write(buffer);
    }
}
