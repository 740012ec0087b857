namespace CellVision.IO.Tiff;

/// <summary>
/// The TIFF flavour of LZW: codes packed most-significant bit first, 256 = Clear, 257 = end of information, first
/// free code 258, code width growing from 9 to 12 bits one code early (at 511, 1023 and 2047).
/// </summary>
internal static class Lzw
{
    private const int Clear = 256;
    private const int EndOfInformation = 257;
    private const int FirstFree = 258;
    private const int MaxCode = 4095;

    /// <summary>Decodes <paramref name="input"/> into <paramref name="output"/> until the data or the output ends; returns the number of bytes produced.</summary>
    internal static int Decode(ReadOnlySpan<byte> input, Span<byte> output)
    {
        var prefix = new short[MaxCode + 1];
        var suffix = new byte[MaxCode + 1];
        var length = new short[MaxCode + 1];
        var first = new byte[MaxCode + 1];
        for (var i = 0; i < 256; i++)
        {
            prefix[i] = -1;
            suffix[i] = (byte)i;
            length[i] = 1;
            first[i] = (byte)i;
        }

        var next = FirstFree;
        var width = 9;
        var previous = -1;
        var written = 0;
        long bitBuffer = 0;
        var bitCount = 0;
        var position = 0;
        while (true)
        {
            while (bitCount < width)
            {
                if (position >= input.Length)
                {
                    return written; // data ended without an end-of-information code, as some writers do
                }

                bitBuffer = (bitBuffer << 8) | input[position++];
                bitCount += 8;
            }

            var code = (int)((bitBuffer >> (bitCount - width)) & ((1 << width) - 1));
            bitCount -= width;
            if (code == EndOfInformation)
            {
                return written;
            }

            if (code == Clear)
            {
                next = FirstFree;
                width = 9;
                previous = -1;
                continue;
            }

            if (previous < 0)
            {
                if (code > 255)
                {
                    throw new InvalidDataException($"LZW code {code} follows a Clear code; only literals may.");
                }

                written = Emit(code, output, written, prefix, suffix, length);
                previous = code;
                if (written == output.Length)
                {
                    return written;
                }

                continue;
            }

            byte firstByte;
            if (code < next)
            {
                firstByte = first[code];
            }
            else if (code == next)
            {
                firstByte = first[previous];
            }
            else
            {
                throw new InvalidDataException($"LZW code {code} is beyond the table ({next} entries).");
            }

            if (next <= MaxCode)
            {
                prefix[next] = (short)previous;
                suffix[next] = firstByte;
                length[next] = (short)(length[previous] + 1);
                first[next] = first[previous];
                next++;
            }

            written = Emit(code, output, written, prefix, suffix, length);
            previous = code;
            if (written == output.Length)
            {
                return written; // the strip is full; whatever follows is ignored, as libtiff ignores it
            }

            if (next + 1 > (1 << width) - 1 && width < 12)
            {
                width++;
            }
        }
    }

    /// <summary>Encodes <paramref name="input"/> as one LZW stream starting with Clear and ending with end-of-information.</summary>
    internal static byte[] Encode(ReadOnlySpan<byte> input)
    {
        var writer = new BitWriter(input.Length / 2 + 16);
        var table = new Dictionary<int, int>(4096);
        var width = 9;
        var next = FirstFree;
        writer.Write(Clear, width);
        if (input.IsEmpty)
        {
            writer.Write(EndOfInformation, width);
            return writer.ToArray();
        }

        int current = input[0];
        for (var i = 1; i < input.Length; i++)
        {
            var key = (current << 8) | input[i];
            if (table.TryGetValue(key, out var code))
            {
                current = code;
                continue;
            }

            writer.Write(current, width);
            table[key] = next++;
            if (next > (1 << width) - 1 && width < 12)
            {
                width++;
            }

            if (next >= MaxCode - 1)
            {
                writer.Write(Clear, width);
                table.Clear();
                next = FirstFree;
                width = 9;
            }

            current = input[i];
        }

        writer.Write(current, width);
        next++;
        if (next > (1 << width) - 1 && width < 12)
        {
            width++;
        }

        writer.Write(EndOfInformation, width);
        return writer.ToArray();
    }

    private static int Emit(int code, Span<byte> output, int written, short[] prefix, byte[] suffix, short[] length)
    {
        var count = length[code];
        var c = code;

        // A string that overflows the strip keeps only the bytes that fit, as libtiff does: some writers' strips
        // decode to more than their rows, and the surplus is not image data.
        var fit = Math.Min(count, output.Length - written);
        for (var skip = count - fit; skip > 0; skip--)
        {
            c = prefix[c];
        }

        var position = written + fit - 1;
        while (position >= written)
        {
            output[position--] = suffix[c];
            c = prefix[c];
        }

        return written + fit;
    }

    private sealed class BitWriter(int capacity)
    {
        private readonly List<byte> bytes = new(capacity);
        private long buffer;
        private int count;

        internal void Write(int code, int width)
        {
            buffer = (buffer << width) | (uint)code;
            count += width;
            while (count >= 8)
            {
                bytes.Add((byte)(buffer >> (count - 8)));
                count -= 8;
            }
        }

        internal byte[] ToArray()
        {
            if (count > 0)
            {
                bytes.Add((byte)(buffer << (8 - count)));
                count = 0;
            }

            return [.. bytes];
        }
    }
}
