using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CellVision.IO.Native;

/// <summary>Finds Debian's libblosc and libzstd, and names the package to install when one is missing.</summary>
internal static class CompressionLibraries
{
    internal const string Blosc = "cellvision-blosc";
    internal const string Zstd = "cellvision-zstd";

    private static readonly Dictionary<string, (string[] Sonames, string Package)> Known = new(StringComparer.Ordinal)
    {
        [Blosc] = (["libblosc.so.1", "libblosc.so"], "libblosc1"),
        [Zstd] = (["libzstd.so.1", "libzstd.so"], "libzstd1"),
    };

#pragma warning disable CA2255 // A library must register its resolver before the first P/Invoke.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register() => NativeLibrary.SetDllImportResolver(typeof(CompressionLibraries).Assembly, Resolve);

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (!Known.TryGetValue(name, out var library))
        {
            return 0;
        }

        foreach (var soname in library.Sonames)
        {
            if (NativeLibrary.TryLoad(soname, out var handle))
            {
                return handle;
            }
        }

        throw new DllNotFoundException($"{library.Sonames[0]} was not found. Install it with 'apt-get install {library.Package}'.");
    }
}
