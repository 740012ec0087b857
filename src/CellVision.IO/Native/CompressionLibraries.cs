using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CellVision.IO.Native;

/// <summary>Finds Debian's libblosc, libzstd and libhdf5, and names the package to install when one is missing.</summary>
internal static class CompressionLibraries
{
    internal const string Blosc = "cellvision-blosc";
    internal const string Zstd = "cellvision-zstd";
    internal const string Hdf5 = "cellvision-hdf5";

    private static readonly Dictionary<string, (string[] Sonames, string Package)> Known = new(StringComparer.Ordinal)
    {
        [Blosc] = (["libblosc.so.1", "libblosc.so"], "libblosc1"),
        [Zstd] = (["libzstd.so.1", "libzstd.so"], "libzstd1"),
        [Hdf5] = (["libhdf5_serial.so.103", "libhdf5.so.103", "libhdf5_serial.so", "libhdf5.so"], "libhdf5-103-1"),
    };

    /// <summary>Handles of the libraries loaded so far, for reading their exported variables.</summary>
    internal static readonly System.Collections.Concurrent.ConcurrentDictionary<string, nint> Loaded = new(StringComparer.Ordinal);

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
                Loaded[name] = handle;
                return handle;
            }
        }

        throw new DllNotFoundException($"{library.Sonames[0]} was not found. Install it with 'apt-get install {library.Package}'.");
    }
}
