using System.Runtime.InteropServices;

namespace CellVision.IO.Hdf5;

/// <summary>
/// Owns an open HDF5 id other than a file (a dataset, dataspace, datatype, property list, group or attribute) and closes
/// it exactly once with the close function of its kind. An id below zero (a failed open or create) is never closed.
/// </summary>
internal sealed class Hdf5ObjectHandle : SafeHandle
{
    private readonly Kind kind;

    private Hdf5ObjectHandle(long id, Kind kind) : base(-1, true)
    {
        this.kind = kind;
        SetHandle((nint)id);
    }

    private enum Kind
    {
        Dataset,
        Dataspace,
        Datatype,
        PropertyList,
        Group,
        Attribute,
    }

    public override bool IsInvalid => handle < 0;

    internal long Id => handle;

    /// <summary>A dataset id, closed with H5Dclose.</summary>
    internal static Hdf5ObjectHandle Dataset(long id) => new(id, Kind.Dataset);

    /// <summary>A dataspace id, closed with H5Sclose.</summary>
    internal static Hdf5ObjectHandle Dataspace(long id) => new(id, Kind.Dataspace);

    /// <summary>A datatype id, closed with H5Tclose.</summary>
    internal static Hdf5ObjectHandle Datatype(long id) => new(id, Kind.Datatype);

    /// <summary>A property list id, closed with H5Pclose.</summary>
    internal static Hdf5ObjectHandle PropertyList(long id) => new(id, Kind.PropertyList);

    /// <summary>A group id, closed with H5Gclose.</summary>
    internal static Hdf5ObjectHandle Group(long id) => new(id, Kind.Group);

    /// <summary>An attribute id, closed with H5Aclose.</summary>
    internal static Hdf5ObjectHandle Attribute(long id) => new(id, Kind.Attribute);

    protected override bool ReleaseHandle()
    {
        lock (Hdf5Library.Gate)
        {
            var status = kind switch
            {
                Kind.Dataset => Hdf5Methods.H5Dclose(handle),
                Kind.Dataspace => Hdf5Methods.H5Sclose(handle),
                Kind.Datatype => Hdf5Methods.H5Tclose(handle),
                Kind.PropertyList => Hdf5Methods.H5Pclose(handle),
                Kind.Group => Hdf5Methods.H5Gclose(handle),
                Kind.Attribute => Hdf5Methods.H5Aclose(handle),
                _ => -1,
            };
            return status >= 0;
        }
    }
}
