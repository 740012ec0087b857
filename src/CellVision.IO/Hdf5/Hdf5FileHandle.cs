using System.Runtime.InteropServices;

namespace CellVision.IO.Hdf5;

/// <summary>Owns an open HDF5 file id and closes it exactly once.</summary>
internal sealed class Hdf5FileHandle : SafeHandle
{
    internal Hdf5FileHandle(long id) : base(-1, true) => SetHandle((nint)id);

    public override bool IsInvalid => handle < 0;

    internal long Id => handle;

    protected override bool ReleaseHandle()
    {
        lock (Hdf5Library.Gate)
        {
            return Hdf5Methods.H5Fclose(handle) >= 0;
        }
    }
}
