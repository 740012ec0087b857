using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Text;

namespace CellVision.Torch.Serialization;

/// <summary>
/// A restricted unpickler for PyTorch state dicts. It understands the opcodes that <c>torch.save</c> emits for
/// dicts, lists, tuples, strings, numbers and tensors, and accepts only the globals a state dict needs
/// (<c>collections.OrderedDict</c>, <c>torch._utils._rebuild_tensor_v2</c>, <c>torch._utils._rebuild_parameter</c>
/// and the <c>torch.*Storage</c> types). Anything else — arbitrary classes or functions — is refused, which is what
/// makes loading an untrusted file safe.
/// </summary>
internal sealed class PickleReader
{
    private static readonly object Mark = new();
    private readonly byte[] data;
    private readonly string source;
    private readonly List<object?> stack = [];
    private readonly Dictionary<long, object?> memo = [];
    private int position;

    private PickleReader(byte[] data, string source)
    {
        this.data = data;
        this.source = source;
    }

    /// <summary>Reads one pickled object.</summary>
    /// <param name="data">The pickle bytes.</param>
    /// <param name="source">File and entry name, for error messages.</param>
    /// <exception cref="PthFormatException">The pickle is malformed, truncated or holds refused content.</exception>
    internal static object? Read(byte[] data, string source) => new PickleReader(data, source).Run();

    private object? Run()
    {
        while (true)
        {
            var opcode = ReadByte();
            switch (opcode)
            {
                case 0x80: ReadByte(); break; // PROTO
                case 0x95: Skip(8); break; // FRAME
                case (byte)'.': return stack.Count == 1 ? stack[0] : throw Error("the pickle ended with an unbalanced stack");
                case (byte)'(': stack.Add(Mark); break;
                case (byte)'}': stack.Add(new PickleDict()); break;
                case (byte)']': stack.Add(new List<object?>()); break;
                case (byte)')': stack.Add(new PickleTuple([])); break;
                case (byte)'t': stack.Add(new PickleTuple(PopToMark().ToArray())); break;
                case 0x85: stack.Add(new PickleTuple([Pop()])); break;
                case 0x86: { var b = Pop(); var a = Pop(); stack.Add(new PickleTuple([a, b])); break; }
                case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); stack.Add(new PickleTuple([a, b, c])); break; }
                case (byte)'l': stack.Add(PopToMark()); break;
                case (byte)'d': stack.Add(ToDict(PopToMark())); break;
                case (byte)'a': { var item = Pop(); Peek<List<object?>>("APPEND").Add(item); break; }
                case (byte)'e': { var items = PopToMark(); Peek<List<object?>>("APPENDS").AddRange(items); break; }
                case (byte)'s': { var value = Pop(); var key = Pop(); SetItem(Peek<PickleDict>("SETITEM"), key, value); break; }
                case (byte)'u': { var items = PopToMark(); var dict = Peek<PickleDict>("SETITEMS"); for (var i = 0; i + 1 < items.Count; i += 2) SetItem(dict, items[i], items[i + 1]); break; }
                case (byte)'q': memo[ReadByte()] = Top(); break; // BINPUT
                case (byte)'r': memo[ReadUInt32()] = Top(); break; // LONG_BINPUT
                case 0x94: memo[memo.Count] = Top(); break; // MEMOIZE
                case (byte)'h': stack.Add(Recall(ReadByte())); break; // BINGET
                case (byte)'j': stack.Add(Recall(ReadUInt32())); break; // LONG_BINGET
                case (byte)'J': stack.Add((long)BinaryPrimitives.ReadInt32LittleEndian(Take(4))); break;
                case (byte)'K': stack.Add((long)ReadByte()); break;
                case (byte)'M': stack.Add((long)BinaryPrimitives.ReadUInt16LittleEndian(Take(2))); break;
                case 0x8a: stack.Add(ReadLong(ReadByte())); break; // LONG1
                case (byte)'G': stack.Add(BinaryPrimitives.ReadDoubleBigEndian(Take(8))); break; // BINFLOAT
                case (byte)'N': stack.Add(null); break;
                case 0x88: stack.Add(true); break;
                case 0x89: stack.Add(false); break;
                case (byte)'X': stack.Add(ReadString(checked((int)ReadUInt32()))); break; // BINUNICODE
                case 0x8c: stack.Add(ReadString(ReadByte())); break; // SHORT_BINUNICODE
                case (byte)'c': stack.Add(Global(ReadLine(), ReadLine())); break; // GLOBAL
                case 0x93: { var name = Pop() as string; var module = Pop() as string; stack.Add(Global(module ?? throw Error("STACK_GLOBAL without a module name"), name ?? throw Error("STACK_GLOBAL without a name"))); break; }
                case (byte)'R': { var args = Pop(); var callable = Pop(); stack.Add(Reduce(callable, args)); break; }
                case (byte)'b': { var state = Pop(); Build(Top(), state); break; }
                case (byte)'Q': stack.Add(PersistentLoad(Pop())); break; // BINPERSID
                default:
                    throw Error($"pickle opcode 0x{opcode:x2} at byte {position - 1} is not allowed in a state dict (only tensors, dicts, lists, tuples, strings and numbers are accepted)");
            }
        }
    }

    private PickleGlobal Global(string module, string name)
    {
        var allowed = (module, name) switch
        {
            ("collections", "OrderedDict") => true,
            ("torch._utils", "_rebuild_tensor_v2") => true,
            ("torch._utils", "_rebuild_parameter") => true,
            ("torch", _) when StorageTypes.TryGet(name, out _) => true,
            // NumPy scalars (np.float64, np.int64, …), as torch.save writes them: decoded here, never called.
            ("numpy.core.multiarray", "scalar") or ("numpy", "dtype") or ("_codecs", "encode") => true,
            _ => false,
        };
        if (!allowed)
        {
            throw Error($"the pickle refers to '{module}.{name}', which a state dict never needs; refusing to load it (only tensors, dicts, lists, strings and numbers are accepted)");
        }

        return new PickleGlobal(module, name);
    }

    private object Reduce(object? callable, object? args)
    {
        if (callable is not PickleGlobal function || args is not PickleTuple tuple)
        {
            throw Error("REDUCE needs a known callable and an argument tuple");
        }

        var items = tuple.Items;
        switch (function.Name)
        {
            case "OrderedDict":
                return new PickleDict();
            case "_rebuild_tensor_v2" when items.Length >= 4 && items[0] is PickleStorage storage:
                return new PickleTensor(storage, ToLong(items[1]), ToLongs(items[2]), ToLongs(items[3]), items.Length > 4 && items[4] is true);
            case "_rebuild_parameter" when items.Length >= 2 && items[0] is PickleTensor data:
                return data with { RequiresGrad = items[1] is true };
            case "dtype" when items.Length >= 1 && items[0] is string code:
                return new NumpyDtype(code);
            case "encode" when items is [string text, "latin1"]:
                return text.Select(c => c <= 0xff ? (byte)c : throw Error("a latin-1 string holds a character above 255")).ToArray();
            case "scalar" when items is [NumpyDtype dtype, byte[] bytes]:
                return NumpyScalar(dtype, bytes);
            default:
                throw Error($"unexpected arguments for {function}");
        }
    }

    private void Build(object? target, object? state)
    {
        // OrderedDict carries state dict metadata (_metadata: versions of each module) as instance state; it does not
        // change the tensors, so it is read and dropped.
        if (target is NumpyDtype dtype)
        {
            // The dtype's state tuple: (version, byte order, …).
            dtype.ByteOrder = state is PickleTuple { Items: [_, string order, ..] } ? order : throw Error("a NumPy dtype's state is not a (version, byte order, …) tuple");
            return;
        }

        if (target is not PickleDict)
        {
            throw Error("BUILD is only accepted on dictionaries and NumPy dtypes");
        }
    }

    private object NumpyScalar(NumpyDtype dtype, byte[] bytes)
    {
        var code = dtype.Code;
        var size = code.Length > 1 && int.TryParse(code.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : (code == "?" ? 1 : 0);
        if (bytes.Length != size)
        {
            throw Error($"a NumPy {code} scalar holds {bytes.Length} bytes");
        }

        var span = (ReadOnlySpan<byte>)bytes;
        if (dtype.ByteOrder == ">" && size > 1)
        {
            var reversed = bytes.Reverse().ToArray();
            span = reversed;
        }

        return (code[0], size) switch
        {
            ('f', 8) => BinaryPrimitives.ReadDoubleLittleEndian(span),
            ('f', 4) => (double)BinaryPrimitives.ReadSingleLittleEndian(span),
            ('f', 2) => (double)BinaryPrimitives.ReadHalfLittleEndian(span),
            ('i', 8) => BinaryPrimitives.ReadInt64LittleEndian(span),
            ('i', 4) => (long)BinaryPrimitives.ReadInt32LittleEndian(span),
            ('i', 2) => (long)BinaryPrimitives.ReadInt16LittleEndian(span),
            ('i', 1) => (long)(sbyte)span[0],
            ('u', 8) => checked((long)BinaryPrimitives.ReadUInt64LittleEndian(span)),
            ('u', 4) => (long)BinaryPrimitives.ReadUInt32LittleEndian(span),
            ('u', 2) => (long)BinaryPrimitives.ReadUInt16LittleEndian(span),
            ('u', 1) => (long)span[0],
            ('b', 1) or ('?', 1) => span[0] != 0,
            _ => throw Error($"NumPy scalars of dtype '{code}' are not supported (only numbers and booleans)"),
        };
    }

    private PickleStorage PersistentLoad(object? id)
    {
        if (id is not PickleTuple { Items: ["storage", PickleGlobal storageType, var key, _, var count] })
        {
            throw Error("a persistent id is not a ('storage', type, key, location, size) tuple");
        }

        if (!StorageTypes.TryGet(storageType.Name, out var type))
        {
            throw Error($"unknown storage type {storageType}");
        }

        var keyText = key switch
        {
            string s => s,
            long l => l.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => throw Error("a storage key is neither a string nor an integer"),
        };
        return new PickleStorage(keyText, type, ToLong(count));
    }

    private static PickleDict ToDict(List<object?> items)
    {
        var dict = new PickleDict();
        for (var i = 0; i + 1 < items.Count; i += 2)
        {
            SetItem(dict, items[i], items[i + 1]);
        }

        return dict;
    }

    private static void SetItem(PickleDict dict, object? key, object? value)
    {
        var existing = dict.Items.FindIndex(pair => Equals(pair.Key, key));
        var entry = new KeyValuePair<object, object?>(key ?? "None", value);
        if (existing >= 0)
        {
            dict.Items[existing] = entry;
        }
        else
        {
            dict.Items.Add(entry);
        }
    }

    private long ToLong(object? value) => value switch
    {
        long l => l,
        BigInteger b when b >= long.MinValue && b <= long.MaxValue => (long)b,
        _ => throw Error($"expected an integer, found {value?.GetType().Name ?? "None"}"),
    };

    private long[] ToLongs(object? value) =>
        value is PickleTuple tuple ? tuple.Items.Select(ToLong).ToArray() : throw Error("expected a tuple of integers");

    [SuppressMessage("Performance", "CA1859:Use concrete types when possible for improved performance", Justification = "Returns a boxed long when the value fits, as the other integer opcodes do, else the BigInteger; the rule suggests BigInteger because a long converts to it.")]
    private object ReadLong(int length)
    {
        // Not a conditional expression: that would convert the long back to BigInteger.
        var value = new BigInteger(Take(length), isUnsigned: false, isBigEndian: false);
        if (value >= long.MinValue && value <= long.MaxValue)
        {
            return (long)value;
        }

        return value;
    }

    private object? Recall(long key) => memo.TryGetValue(key, out var value) ? value : throw Error($"memo entry {key} is missing");

    private object? Pop()
    {
        if (stack.Count == 0 || ReferenceEquals(stack[^1], Mark))
        {
            throw Error("the pickle stack ran empty");
        }

        var value = stack[^1];
        stack.RemoveAt(stack.Count - 1);
        return value;
    }

    private object? Top() => stack.Count > 0 ? stack[^1] : throw Error("the pickle stack is empty");

    private T Peek<T>(string opcode) => Top() is T value ? value : throw Error($"{opcode} found no {typeof(T).Name} on the stack");

    private List<object?> PopToMark()
    {
        var index = stack.FindLastIndex(item => ReferenceEquals(item, Mark));
        if (index < 0)
        {
            throw Error("a MARK is missing");
        }

        var items = stack.GetRange(index + 1, stack.Count - index - 1);
        stack.RemoveRange(index, stack.Count - index);
        return items;
    }

    private byte ReadByte() => Take(1)[0];

    private uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    private void Skip(int count) => Take(count);

    private string ReadString(int length) => Encoding.UTF8.GetString(Take(length));

    private string ReadLine()
    {
        var end = Array.IndexOf(data, (byte)'\n', position);
        if (end < 0)
        {
            throw Error("the pickle is truncated");
        }

        var text = Encoding.ASCII.GetString(data, position, end - position);
        position = end + 1;
        return text;
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || position + count > data.Length)
        {
            throw Error("the pickle is truncated");
        }

        var span = data.AsSpan(position, count);
        position += count;
        return span;
    }

    private PthFormatException Error(string what) => new($"{source}: {what}.");
}
