namespace CellVision.IO.Tiff;

/// <summary>PackBits run-length coding (Apple; TIFF compression 32773).</summary>
internal static class PackBits
{
    /// <summary>Decodes into <paramref name="output"/>; returns the number of bytes produced.</summary>
    internal static int Decode(ReadOnlySpan<byte> input, Span<byte> output)
    {
        int read = 0, written = 0;
        while (read < input.Length && written < output.Length)
        {
            var header = (sbyte)input[read++];
            if (header >= 0)
            {
                var count = header + 1;
                if (read + count > input.Length || written + count > output.Length)
                {
                    throw new InvalidDataException("A PackBits literal run goes past the end of the strip.");
                }

                input.Slice(read, count).CopyTo(output[written..]);
                read += count;
                written += count;
            }
            else if (header != -128)
            {
                var count = 1 - header;
                if (read >= input.Length || written + count > output.Length)
                {
                    throw new InvalidDataException("A PackBits repeat run goes past the end of the strip.");
                }

                output.Slice(written, count).Fill(input[read++]);
                written += count;
            }
        }

        return written;
    }

    /// <summary>Encodes one row (PackBits runs never cross rows in TIFF).</summary>
    internal static void EncodeRow(ReadOnlySpan<byte> row, List<byte> output)
    {
        var i = 0;
        while (i < row.Length)
        {
            var run = 1;
            while (i + run < row.Length && run < 128 && row[i + run] == row[i])
            {
                run++;
            }

            if (run >= 2)
            {
                output.Add((byte)(sbyte)(1 - run));
                output.Add(row[i]);
                i += run;
                continue;
            }

            var start = i;
            var literal = 0;
            while (i < row.Length && literal < 128 && !(i + 1 < row.Length && row[i + 1] == row[i]))
            {
                i++;
                literal++;
            }

            if (literal == 0)
            {
                continue;
            }

            output.Add((byte)(literal - 1));
            for (var k = 0; k < literal; k++)
            {
                output.Add(row[start + k]);
            }
        }
    }
}
