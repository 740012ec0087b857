using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CellVision.Torch.Native;

/// <summary>
/// Finds libcvtorch and the libtorch it links to. libtorch is looked up first in the folder named by
/// <c>CELLVISION_LIBTORCH</c>, then by the Debian sonames; libcvtorch next to the application, in
/// <c>runtimes/linux-x64/native</c>, or at the path in <c>CELLVISION_CVTORCH</c>.
/// </summary>
internal static class NativeLibraryResolver
{
    /// <summary>Environment variable naming a folder that holds libtorch_cpu.so (for example a PyTorch wheel's torch/lib).</summary>
    internal const string LibTorchVariable = "CELLVISION_LIBTORCH";

    /// <summary>Environment variable naming the libcvtorch.so to load.</summary>
    internal const string CvtorchVariable = "CELLVISION_CVTORCH";

    /// <summary>The sonames of Debian's libtorch, newest first, then the unversioned development names.</summary>
    internal static readonly string[] DebianLibTorchNames = ["libtorch_cpu.so.1.13", "libtorch_cpu.so"];

    /// <summary>Libraries loaded from <see cref="LibTorchVariable"/>, in dependency order.</summary>
    private static readonly string[] LibTorchParts = ["libc10.so", "libtorch_cpu.so", "libc10_cuda.so", "libtorch_cuda.so", "libtorch.so"];

#pragma warning disable CA2255 // A library must register its resolver before the first P/Invoke.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register() => NativeLibrary.SetDllImportResolver(typeof(NativeLibraryResolver).Assembly, Resolve);

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != NativeMethods.Library)
        {
            return 0;
        }

        LoadLibTorch(Environment.GetEnvironmentVariable(LibTorchVariable), DebianLibTorchNames);
        return LoadCvtorch(assembly);
    }

    /// <summary>Loads libtorch from <paramref name="folder"/> when given, else from the first of <paramref name="sonames"/> that loads.</summary>
    /// <exception cref="LibTorchNotFoundException">No candidate could be loaded.</exception>
    internal static void LoadLibTorch(string? folder, IReadOnlyList<string> sonames)
    {
        if (!string.IsNullOrEmpty(folder))
        {
            if (!File.Exists(Path.Combine(folder, "libtorch_cpu.so")))
            {
                throw new LibTorchNotFoundException($"{LibTorchVariable} is '{folder}', but that folder holds no libtorch_cpu.so. Point it at the folder of a libtorch build (for a PyTorch wheel: site-packages/torch/lib), or unset it and install Debian's '{LibTorchNotFoundException.DebianPackage}'.");
            }

            foreach (var part in LibTorchParts)
            {
                var path = Path.Combine(folder, part);
                if (File.Exists(path))
                {
                    NativeLibrary.Load(path);
                }
            }

            return;
        }

        foreach (var soname in sonames)
        {
            if (NativeLibrary.TryLoad(soname, out _))
            {
                return;
            }
        }

        throw new LibTorchNotFoundException($"libtorch was not found (tried {string.Join(", ", sonames)}). Install it with 'apt-get install {LibTorchNotFoundException.DebianPackage}' (Debian/Ubuntu), or set {LibTorchVariable} to the folder holding libtorch_cpu.so.");
    }

    private static nint LoadCvtorch(Assembly assembly)
    {
        var candidates = new List<string>();
        var explicitPath = Environment.GetEnvironmentVariable(CvtorchVariable);
        if (!string.IsNullOrEmpty(explicitPath))
        {
            candidates.Add(explicitPath);
        }

        foreach (var baseDirectory in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(assembly.Location) })
        {
            if (string.IsNullOrEmpty(baseDirectory))
            {
                continue;
            }

            candidates.Add(Path.Combine(baseDirectory, "libcvtorch.so"));
            candidates.Add(Path.Combine(baseDirectory, "runtimes", "linux-x64", "native", "libcvtorch.so"));
        }

        var errors = new List<string>();
        foreach (var candidate in candidates.Where(File.Exists))
        {
            try
            {
                return NativeLibrary.Load(candidate);
            }
            catch (DllNotFoundException exception)
            {
                errors.Add(exception.Message);
            }
        }

        if (NativeLibrary.TryLoad("libcvtorch.so", assembly, DllImportSearchPath.SafeDirectories | DllImportSearchPath.AssemblyDirectory, out var handle))
        {
            return handle;
        }

        var detail = errors.Count > 0 ? " Loader said: " + string.Join(" | ", errors) : string.Empty;
        throw new LibTorchNotFoundException($"CellVision's native bridge libcvtorch.so could not be loaded (looked in: {string.Join(", ", candidates)}). Build the repository with 'dotnet build' (needs cmake, g++ and '{LibTorchNotFoundException.DebianPackage}'), or set {CvtorchVariable} to its path.{detail}");
    }
}
