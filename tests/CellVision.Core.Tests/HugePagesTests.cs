using CellVision.Core.Volumes;

namespace CellVision.Core.Tests;

public sealed class HugePagesTests
{
    [Fact]
    public void AdvisingKeepsWhatTheBufferHolds()
    {
        // 9 MiB, not 2 MiB aligned: the advice covers the whole huge pages inside and must not discard any data
        // (a wrong advice such as MADV_DONTNEED or MADV_FREE would zero the pages).
        var buffer = new long[(9 << 20) / sizeof(long)];
        for (var i = 0; i < buffer.Length; i++)
        {
            buffer[i] = (i * 2654435761L) ^ 0x5DEECE66DL;
        }

        HugePages.Advise<long>(buffer);
        HugePages.Advise(buffer.AsSpan(3, 1000));
        for (var i = 0; i < buffer.Length; i++)
        {
            Assert.Equal((i * 2654435761L) ^ 0x5DEECE66DL, buffer[i]);
        }
    }

    [Fact]
    public void AdvisedMemoryCanBeWrittenAndRead()
    {
        var buffer = GC.AllocateUninitializedArray<double>((8 << 20) / sizeof(double));
        HugePages.Advise<double>(buffer);
        buffer.AsSpan().Fill(0.25);
        Assert.All(buffer, v => Assert.Equal(0.25, v));
    }
}
