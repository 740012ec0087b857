using System.Runtime.InteropServices;
using CellVision.IO.Native;

namespace CellVision.IO.Hdf5;

/// <summary>The libhdf5 1.10 C API entry points CellVision uses (hid_t is a 64-bit integer).</summary>
internal static unsafe partial class Hdf5Methods
{
    private const string Lib = CompressionLibraries.Hdf5;

    [LibraryImport(Lib)] internal static partial int H5open();
    [LibraryImport(Lib)] internal static partial int H5Eset_auto2(long stack, nint function, nint data);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial long H5Fopen(string name, uint flags, long accessList);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial long H5Fcreate(string name, uint flags, long createList, long accessList);
    [LibraryImport(Lib)] internal static partial int H5Fclose(long file);
    [LibraryImport(Lib)] internal static partial long H5Fget_obj_count(long file, uint types);
    [LibraryImport(Lib)] internal static partial int H5Fflush(long file, int scope);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial long H5Dopen2(long location, string name, long accessList);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial long H5Dcreate2(long location, string name, long type, long space, long linkList, long createList, long accessList);
    [LibraryImport(Lib)] internal static partial int H5Dclose(long dataset);
    [LibraryImport(Lib)] internal static partial long H5Dget_space(long dataset);
    [LibraryImport(Lib)] internal static partial long H5Dget_type(long dataset);
    [LibraryImport(Lib)] internal static partial long H5Dget_create_plist(long dataset);
    [LibraryImport(Lib)] internal static partial int H5Dread(long dataset, long memoryType, long memorySpace, long fileSpace, long transferList, void* buffer);
    [LibraryImport(Lib)] internal static partial int H5Dwrite(long dataset, long memoryType, long memorySpace, long fileSpace, long transferList, void* buffer);
    [LibraryImport(Lib)] internal static partial long H5Screate_simple(int rank, ulong* dims, ulong* maxDims);
    [LibraryImport(Lib)] internal static partial int H5Sclose(long space);
    [LibraryImport(Lib)] internal static partial int H5Sget_simple_extent_ndims(long space);
    [LibraryImport(Lib)] internal static partial int H5Sget_simple_extent_dims(long space, ulong* dims, ulong* maxDims);
    [LibraryImport(Lib)] internal static partial int H5Sselect_hyperslab(long space, int operation, ulong* start, ulong* stride, ulong* count, ulong* block);
    [LibraryImport(Lib)] internal static partial long H5Pcreate(long propertyClass);
    [LibraryImport(Lib)] internal static partial int H5Pclose(long list);
    [LibraryImport(Lib)] internal static partial int H5Pset_chunk(long list, int rank, ulong* dims);
    [LibraryImport(Lib)] internal static partial int H5Pget_chunk(long list, int maxRank, ulong* dims);
    [LibraryImport(Lib)] internal static partial int H5Pget_layout(long list);
    [LibraryImport(Lib)] internal static partial int H5Pset_deflate(long list, uint level);
    [LibraryImport(Lib)] internal static partial int H5Pset_file_locking(long list, byte useFileLocking, byte ignoreWhenDisabled);
    [LibraryImport(Lib)] internal static partial int H5Pset_create_intermediate_group(long list, uint create);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial int H5Lexists(long location, string name, long accessList);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial int H5Lcreate_external(string fileName, string objectName, long location, string linkName, long createList, long accessList);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial long H5Gcreate2(long location, string name, long linkList, long createList, long accessList);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial long H5Gopen2(long location, string name, long accessList);
    [LibraryImport(Lib)] internal static partial int H5Gclose(long group);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial int H5Aexists(long location, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial long H5Aopen(long location, string name, long accessList);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial long H5Acreate2(long location, string name, long type, long space, long createList, long accessList);
    [LibraryImport(Lib)] internal static partial int H5Aclose(long attribute);
    [LibraryImport(Lib)] internal static partial long H5Aget_type(long attribute);
    [LibraryImport(Lib)] internal static partial int H5Aread(long attribute, long memoryType, void* buffer);
    [LibraryImport(Lib)] internal static partial int H5Awrite(long attribute, long memoryType, void* buffer);
    [LibraryImport(Lib)] internal static partial long H5Screate(int type);
    [LibraryImport(Lib)] internal static partial long H5Tcopy(long type);
    [LibraryImport(Lib)] internal static partial int H5Tclose(long type);
    [LibraryImport(Lib)] internal static partial nuint H5Tget_size(long type);
    [LibraryImport(Lib)] internal static partial int H5Tset_size(long type, nuint size);
    [LibraryImport(Lib)] internal static partial int H5Tget_class(long type);
    [LibraryImport(Lib)] internal static partial int H5Tget_sign(long type);
    [LibraryImport(Lib)] internal static partial int H5Tis_variable_str(long type);
    [LibraryImport(Lib)] internal static partial int H5Dvlen_reclaim(long type, long space, long transferList, void* buffer);
}
