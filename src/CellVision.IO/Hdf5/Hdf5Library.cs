using System.Runtime.InteropServices;
using CellVision.IO.Native;

namespace CellVision.IO.Hdf5;

/// <summary>
/// Process-wide libhdf5 state: initialisation, the predefined type and property-list ids (exported variables that
/// are valid only after <c>H5open</c>), and the lock that serialises every call (Debian's serial libhdf5 is not
/// thread-safe).
/// </summary>
internal static class Hdf5Library
{
    internal const long Default = 0;
    internal const long All = 0;
    internal const uint ReadOnly = 0;
    internal const uint ReadWrite = 1;
    internal const uint Truncate = 2;
    internal const int SelectSet = 0;
    internal const int ScalarSpace = 0;
    internal const int ChunkedLayout = 2;
    internal const int IntegerClass = 0;
    internal const int FloatClass = 1;
    internal const int StringClass = 3;

    private static readonly Lazy<Ids> Predefined = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The lock held around every libhdf5 call.</summary>
    internal static Lock Gate { get; } = new();

    internal static Ids Types => Predefined.Value;

    /// <summary>
    /// A file access property list without HDF5's flock-based file locking. CellVision writes HDF5 files under a temporary
    /// name and renames them, and opens finished files read-only, so the locks add nothing; they do make an open fail
    /// when another handle in the process still holds the same file. The caller disposes the list.
    /// </summary>
    /// <exception cref="Hdf5Exception">libhdf5 cannot create or set up the list.</exception>
    internal static Hdf5ObjectHandle FileAccessWithoutLocking()
    {
        var list = Hdf5ObjectHandle.PropertyList(Hdf5Methods.H5Pcreate(Types.FileAccess));
        if (list.IsInvalid)
        {
            throw new Hdf5Exception("H5Pcreate failed: cannot create a file access property list.");
        }

        if (Hdf5Methods.H5Pset_file_locking(list.Id, 0, 1) < 0)
        {
            list.Dispose();
            throw new Hdf5Exception("H5Pset_file_locking failed: cannot turn off HDF5 file locking.");
        }

        return list;
    }

    private static Ids Load()
    {
        lock (Gate)
        {
            if (Hdf5Methods.H5open() < 0)
            {
                throw new IOException("libhdf5 failed to initialise.");
            }

            // Errors are reported through return codes and our own exceptions, not printed to stderr.
            if (Hdf5Methods.H5Eset_auto2(0, 0, 0) < 0)
            {
                throw new Hdf5Exception("H5Eset_auto2 failed: cannot turn off libhdf5's error printing.");
            }

            var library = CompressionLibraries.Loaded[CompressionLibraries.Hdf5];
            long Read(string name) => Marshal.ReadInt64(NativeLibrary.GetExport(library, name));
            return new Ids(
                Read("H5T_NATIVE_SCHAR_g"), Read("H5T_NATIVE_UCHAR_g"), Read("H5T_NATIVE_SHORT_g"), Read("H5T_NATIVE_USHORT_g"),
                Read("H5T_NATIVE_INT_g"), Read("H5T_NATIVE_UINT_g"), Read("H5T_NATIVE_LLONG_g"), Read("H5T_NATIVE_ULLONG_g"),
                Read("H5T_NATIVE_FLOAT_g"), Read("H5T_NATIVE_DOUBLE_g"),
                Read("H5T_STD_I8LE_g"), Read("H5T_STD_U8LE_g"), Read("H5T_STD_I16LE_g"), Read("H5T_STD_U16LE_g"),
                Read("H5T_STD_I32LE_g"), Read("H5T_STD_U32LE_g"), Read("H5T_STD_I64LE_g"), Read("H5T_STD_U64LE_g"),
                Read("H5T_IEEE_F32LE_g"), Read("H5T_IEEE_F64LE_g"), Read("H5T_C_S1_g"),
                Read("H5P_CLS_DATASET_CREATE_ID_g"), Read("H5P_CLS_LINK_CREATE_ID_g"), Read("H5P_CLS_FILE_ACCESS_ID_g"));
        }
    }

    /// <summary>Memory and file type ids for <typeparamref name="T"/>.</summary>
    internal static (long Memory, long File) TypesOf<T>()
        where T : unmanaged
    {
        var ids = Types;
        var type = typeof(T);
        if (type == typeof(sbyte)) return (ids.NativeInt8, ids.I8);
        if (type == typeof(byte)) return (ids.NativeUInt8, ids.U8);
        if (type == typeof(short)) return (ids.NativeInt16, ids.I16);
        if (type == typeof(ushort)) return (ids.NativeUInt16, ids.U16);
        if (type == typeof(int)) return (ids.NativeInt32, ids.I32);
        if (type == typeof(uint)) return (ids.NativeUInt32, ids.U32);
        if (type == typeof(long)) return (ids.NativeInt64, ids.I64);
        if (type == typeof(ulong)) return (ids.NativeUInt64, ids.U64);
        if (type == typeof(float)) return (ids.NativeFloat, ids.F32);
        if (type == typeof(double)) return (ids.NativeDouble, ids.F64);
        throw new NotSupportedException($"{type.Name} is not an HDF5 element type CellVision supports.");
    }

    internal sealed record Ids(
        long NativeInt8, long NativeUInt8, long NativeInt16, long NativeUInt16, long NativeInt32, long NativeUInt32,
        long NativeInt64, long NativeUInt64, long NativeFloat, long NativeDouble,
        long I8, long U8, long I16, long U16, long I32, long U32, long I64, long U64, long F32, long F64, long CString,
        long DatasetCreate, long LinkCreate, long FileAccess);
}
