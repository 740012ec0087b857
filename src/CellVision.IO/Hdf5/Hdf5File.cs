using System.Runtime.InteropServices;
using System.Text;
using CellVision.Core.Volumes;

namespace CellVision.IO.Hdf5;

/// <summary>
/// An HDF5 file through Debian's libhdf5 (every filter libhdf5 supports, such as deflate and scale-offset, is decoded
/// by the library). Calls are serialised, as the serial libhdf5 build requires.
/// </summary>
public sealed unsafe class Hdf5File : IDisposable
{
    private readonly Hdf5FileHandle file;

    // Datasets stay open until the file is disposed, so libhdf5's per-dataset chunk cache survives between reads
    // (repeated region reads then decode each chunk once, as with h5py's open Dataset objects).
    private readonly Dictionary<string, Hdf5ObjectHandle> openDatasets = new(StringComparer.Ordinal);

    private Hdf5File(string path, Hdf5FileHandle file)
    {
        Path = path;
        this.file = file;
    }

    /// <summary>The file's path.</summary>
    public string Path { get; }

    /// <summary>Number of HDF5 objects (files, datasets, groups, types, attributes) open in this process.</summary>
    public static long OpenObjectCount
    {
        get
        {
            _ = Hdf5Library.Types;
            lock (Hdf5Library.Gate)
            {
                return Hdf5Methods.H5Fget_obj_count(0x1F, 0x1F);
            }
        }
    }

    /// <summary>Opens an existing file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="writable">Open for writing too.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="Hdf5Exception">The file is not HDF5 or is damaged.</exception>
    public static Hdf5File Open(string path, bool writable = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The HDF5 file '{path}' does not exist.", path);
        }

        _ = Hdf5Library.Types;
        lock (Hdf5Library.Gate)
        {
            long id;
            using (var access = Hdf5Library.FileAccessWithoutLocking())
            {
                id = Hdf5Methods.H5Fopen(path, writable ? Hdf5Library.ReadWrite : Hdf5Library.ReadOnly, access.Id);
            }

            if (id < 0)
            {
                throw new Hdf5Exception(path, "/", "cannot be opened as HDF5 (not an HDF5 file, truncated, or damaged).");
            }

            return new Hdf5File(path, new Hdf5FileHandle(id));
        }
    }

    /// <summary>Creates (or truncates) a file.</summary>
    /// <param name="path">The file.</param>
    public static Hdf5File Create(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _ = Hdf5Library.Types;
        lock (Hdf5Library.Gate)
        {
            long id;
            using (var access = Hdf5Library.FileAccessWithoutLocking())
            {
                id = Hdf5Methods.H5Fcreate(path, Hdf5Library.Truncate, Hdf5Library.Default, access.Id);
            }

            if (id < 0)
            {
                throw new Hdf5Exception(path, "/", "cannot be created.");
            }

            return new Hdf5File(path, new Hdf5FileHandle(id));
        }
    }

    /// <summary>Whether a link (group, dataset, or an external link that resolves) exists at <paramref name="objectPath"/>.</summary>
    /// <param name="objectPath">An absolute path such as "/t00000/s00/0/cells".</param>
    public bool Exists(string objectPath)
    {
        lock (Hdf5Library.Gate)
        {
            var current = string.Empty;
            foreach (var part in objectPath.Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                current += "/" + part;
                if (Hdf5Methods.H5Lexists(file.Id, current, Hdf5Library.Default) <= 0)
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>The dataset's extent, slowest dimension first.</summary>
    /// <param name="datasetPath">The dataset.</param>
    public long[] GetShape(string datasetPath)
    {
        lock (Hdf5Library.Gate)
        {
            return Shape(OpenDataset(datasetPath), datasetPath);
        }
    }

    /// <summary>The dataset's chunk extent, or null when it is not chunked.</summary>
    /// <param name="datasetPath">The dataset.</param>
    public long[]? GetChunkShape(string datasetPath)
    {
        lock (Hdf5Library.Gate)
        {
            var dataset = OpenDataset(datasetPath);
            using var list = Hdf5ObjectHandle.PropertyList(Hdf5Methods.H5Dget_create_plist(dataset));
            if (Hdf5Methods.H5Pget_layout(list.Id) != Hdf5Library.ChunkedLayout)
            {
                return null;
            }

            var dims = stackalloc ulong[32];
            var rank = Hdf5Methods.H5Pget_chunk(list.Id, 32, dims);
            return Enumerable.Range(0, rank).Select(i => (long)dims[i]).ToArray();
        }
    }

    /// <summary>Reads a region of a dataset, converting to <typeparamref name="T"/> as libhdf5 does.</summary>
    /// <typeparam name="T">sbyte, byte, short, ushort, int, uint, long, ulong, float or double.</typeparam>
    /// <param name="datasetPath">The dataset.</param>
    /// <param name="region">The region (slowest dimension first); null for all of it.</param>
    public T[] Read<T>(string datasetPath, Box? region = null)
        where T : unmanaged
    {
        var box = region ?? Box.FromShape(GetShape(datasetPath));
        var result = GC.AllocateUninitializedArray<T>(checked((int)box.ElementCount));
        HugePages.Advise<T>(result);
        Read<T>(datasetPath, box, result);
        return result;
    }

    /// <summary>Reads a region of a dataset into <paramref name="destination"/> (C order).</summary>
    /// <typeparam name="T">The element type to convert to.</typeparam>
    /// <param name="datasetPath">The dataset.</param>
    /// <param name="region">The region, slowest dimension first.</param>
    /// <param name="destination">Exactly the region's element count.</param>
    /// <exception cref="Hdf5Exception">The dataset is missing, the region lies outside it, or decoding fails.</exception>
    public void Read<T>(string datasetPath, Box region, Span<T> destination)
        where T : unmanaged
    {
        if (destination.Length != region.ElementCount)
        {
            throw new ArgumentException($"The destination holds {destination.Length} elements but {region} has {region.ElementCount}.", nameof(destination));
        }

        var (memoryType, _) = Hdf5Library.TypesOf<T>();
        lock (Hdf5Library.Gate)
        {
            var dataset = OpenDataset(datasetPath);
            var shape = Shape(dataset, datasetPath);
            if (region.Rank != shape.Length || !Box.FromShape(shape).Contains(region))
            {
                throw new Hdf5Exception(Path, datasetPath, $"{region} lies outside the dataset of shape [{string.Join(", ", shape)}].");
            }

            using var fileSpace = Hdf5ObjectHandle.Dataspace(Hdf5Methods.H5Dget_space(dataset));
            var rank = region.Rank;
            var start = stackalloc ulong[Math.Max(rank, 1)];
            var count = stackalloc ulong[Math.Max(rank, 1)];
            for (var i = 0; i < rank; i++)
            {
                start[i] = (ulong)region.Start[i];
                count[i] = (ulong)region.Size[i];
            }

            if (rank > 0 && Hdf5Methods.H5Sselect_hyperslab(fileSpace.Id, Hdf5Library.SelectSet, start, null, count, null) < 0)
            {
                throw new Hdf5Exception(Path, datasetPath, $"cannot select {region}.");
            }

            using var memorySpace = Hdf5ObjectHandle.Dataspace(Hdf5Methods.H5Screate_simple(rank, count, null));
            fixed (T* buffer = destination)
            {
                if (Hdf5Methods.H5Dread(dataset, memoryType, memorySpace.Id, fileSpace.Id, Hdf5Library.Default, buffer) < 0)
                {
                    throw new Hdf5Exception(Path, datasetPath, $"reading {region} as {typeof(T).Name} failed (damaged chunk, unsupported filter, or a type that cannot be converted).");
                }
            }
        }
    }

    /// <summary>Creates a dataset holding <paramref name="data"/>, creating missing parent groups.</summary>
    /// <typeparam name="T">The element type; the file type is its little-endian HDF5 equivalent.</typeparam>
    /// <param name="datasetPath">The new dataset.</param>
    /// <param name="data">Elements in C order.</param>
    /// <param name="shape">Extent, slowest dimension first.</param>
    /// <param name="chunks">Chunk extent, or null for contiguous storage.</param>
    /// <param name="deflateLevel">Deflate level 1–9 (needs chunks), or 0 for none.</param>
    public void Write<T>(string datasetPath, ReadOnlySpan<T> data, long[] shape, long[]? chunks = null, int deflateLevel = 0)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (data.Length != shape.Aggregate(1L, (a, b) => a * b))
        {
            throw new ArgumentException($"Shape [{string.Join(", ", shape)}] needs {shape.Aggregate(1L, (a, b) => a * b)} elements but {data.Length} were given.", nameof(data));
        }

        if (deflateLevel is < 0 or > 9 || (deflateLevel > 0 && chunks is null))
        {
            throw new ArgumentOutOfRangeException(nameof(deflateLevel), deflateLevel, "Deflate levels run from 0 to 9 and need chunked storage.");
        }

        var (memoryType, fileType) = Hdf5Library.TypesOf<T>();
        var ids = Hdf5Library.Types;
        lock (Hdf5Library.Gate)
        {
            var rank = shape.Length;
            var dims = stackalloc ulong[Math.Max(rank, 1)];
            for (var i = 0; i < rank; i++)
            {
                dims[i] = (ulong)shape[i];
            }

            using var space = Hdf5ObjectHandle.Dataspace(Hdf5Methods.H5Screate_simple(rank, dims, null));
            using var linkList = Hdf5ObjectHandle.PropertyList(Hdf5Methods.H5Pcreate(ids.LinkCreate));
            using var createList = Hdf5ObjectHandle.PropertyList(Hdf5Methods.H5Pcreate(ids.DatasetCreate));
            Check(Hdf5Methods.H5Pset_create_intermediate_group(linkList.Id, 1), datasetPath, "H5Pset_create_intermediate_group");
            if (chunks is not null)
            {
                var chunkDims = stackalloc ulong[Math.Max(rank, 1)];
                for (var i = 0; i < rank; i++)
                {
                    chunkDims[i] = (ulong)Math.Clamp(chunks[i], 1, Math.Max(1, shape[i]));
                }

                Check(Hdf5Methods.H5Pset_chunk(createList.Id, rank, chunkDims), datasetPath, "H5Pset_chunk");
                if (deflateLevel > 0)
                {
                    Check(Hdf5Methods.H5Pset_deflate(createList.Id, (uint)deflateLevel), datasetPath, "H5Pset_deflate");
                }
            }

            using var dataset = Hdf5ObjectHandle.Dataset(Hdf5Methods.H5Dcreate2(file.Id, datasetPath, fileType, space.Id, linkList.Id, createList.Id, Hdf5Library.Default));
            if (dataset.IsInvalid)
            {
                throw new Hdf5Exception(Path, datasetPath, "cannot be created (does it exist already?).");
            }

            fixed (T* buffer = data)
            {
                if (Hdf5Methods.H5Dwrite(dataset.Id, memoryType, Hdf5Library.All, Hdf5Library.All, Hdf5Library.Default, buffer) < 0)
                {
                    throw new Hdf5Exception(Path, datasetPath, "writing failed.");
                }
            }
        }
    }

    /// <summary>Reads a string attribute (fixed or variable length), or null when absent.</summary>
    /// <param name="objectPath">The group or dataset.</param>
    /// <param name="name">The attribute.</param>
    public string? ReadStringAttribute(string objectPath, string name)
    {
        lock (Hdf5Library.Gate)
        {
            using var group = Hdf5ObjectHandle.Group(Hdf5Methods.H5Gopen2(file.Id, objectPath, Hdf5Library.Default));
            if (group.IsInvalid || Hdf5Methods.H5Aexists(group.Id, name) <= 0)
            {
                return null;
            }

            var attributePath = $"{objectPath}@{name}";
            using var attribute = Hdf5ObjectHandle.Attribute(Hdf5Methods.H5Aopen(group.Id, name, Hdf5Library.Default));
            using var type = Hdf5ObjectHandle.Datatype(Hdf5Methods.H5Aget_type(attribute.Id));
            if (Hdf5Methods.H5Tget_class(type.Id) != Hdf5Library.StringClass)
            {
                throw new Hdf5Exception(Path, attributePath, "is not a string attribute.");
            }

            if (Hdf5Methods.H5Tis_variable_str(type.Id) > 0)
            {
                nint pointer = 0;
                Check(Hdf5Methods.H5Aread(attribute.Id, type.Id, &pointer), attributePath, "H5Aread");
                return Marshal.PtrToStringUTF8(pointer);
            }

            var size = (int)Hdf5Methods.H5Tget_size(type.Id);
            var bytes = new byte[size];
            fixed (byte* buffer = bytes)
            {
                Check(Hdf5Methods.H5Aread(attribute.Id, type.Id, buffer), attributePath, "H5Aread");
            }

            return Encoding.UTF8.GetString(bytes).TrimEnd('\0', ' ');
        }
    }

    /// <summary>Writes a fixed-length ASCII string attribute on a group, creating the group if needed.</summary>
    /// <param name="groupPath">The group.</param>
    /// <param name="name">The attribute.</param>
    /// <param name="value">The text.</param>
    public void WriteStringAttribute(string groupPath, string name, string value)
    {
        CreateGroup(groupPath);
        var bytes = Encoding.ASCII.GetBytes(value + "\0");
        lock (Hdf5Library.Gate)
        {
            var attributePath = $"{groupPath}@{name}";
            using var group = Hdf5ObjectHandle.Group(Hdf5Methods.H5Gopen2(file.Id, groupPath, Hdf5Library.Default));
            using var type = Hdf5ObjectHandle.Datatype(Hdf5Methods.H5Tcopy(Hdf5Library.Types.CString));
            Check(Hdf5Methods.H5Tset_size(type.Id, (nuint)bytes.Length), attributePath, "H5Tset_size");
            using var space = Hdf5ObjectHandle.Dataspace(Hdf5Methods.H5Screate(Hdf5Library.ScalarSpace));
            using var attribute = Hdf5ObjectHandle.Attribute(Hdf5Methods.H5Acreate2(group.Id, name, type.Id, space.Id, Hdf5Library.Default, Hdf5Library.Default));
            fixed (byte* buffer = bytes)
            {
                if (attribute.IsInvalid || Hdf5Methods.H5Awrite(attribute.Id, type.Id, buffer) < 0)
                {
                    throw new Hdf5Exception(Path, attributePath, "cannot be written.");
                }
            }
        }
    }

    /// <summary>Creates a group and any missing parents; does nothing when it exists.</summary>
    /// <param name="groupPath">An absolute path.</param>
    public void CreateGroup(string groupPath)
    {
        if (Exists(groupPath))
        {
            return;
        }

        lock (Hdf5Library.Gate)
        {
            using var linkList = Hdf5ObjectHandle.PropertyList(Hdf5Methods.H5Pcreate(Hdf5Library.Types.LinkCreate));
            Check(Hdf5Methods.H5Pset_create_intermediate_group(linkList.Id, 1), groupPath, "H5Pset_create_intermediate_group");
            using var group = Hdf5ObjectHandle.Group(Hdf5Methods.H5Gcreate2(file.Id, groupPath, linkList.Id, Hdf5Library.Default, Hdf5Library.Default));
            if (group.IsInvalid)
            {
                throw new Hdf5Exception(Path, groupPath, "cannot be created.");
            }
        }
    }

    /// <summary>Creates an external link at <paramref name="linkPath"/> to an object in another file.</summary>
    /// <param name="linkPath">Where the link goes (parents are created).</param>
    /// <param name="targetFile">The other file, relative to this file's folder.</param>
    /// <param name="targetObject">The object's path in the other file.</param>
    public void CreateExternalLink(string linkPath, string targetFile, string targetObject)
    {
        var parent = linkPath[..linkPath.LastIndexOf('/')];
        if (parent.Length > 0)
        {
            CreateGroup(parent);
        }

        lock (Hdf5Library.Gate)
        {
            if (Hdf5Methods.H5Lcreate_external(targetFile, targetObject, file.Id, linkPath, Hdf5Library.Default, Hdf5Library.Default) < 0)
            {
                throw new Hdf5Exception(Path, linkPath, $"the external link to {targetFile}:{targetObject} cannot be created.");
            }
        }
    }

    /// <summary>Closes the datasets opened for reading, then the file.</summary>
    public void Dispose()
    {
        lock (Hdf5Library.Gate)
        {
            foreach (var dataset in openDatasets.Values)
            {
                dataset.Dispose();
            }

            openDatasets.Clear();
        }

        file.Dispose();
    }

    private long OpenDataset(string datasetPath)
    {
        ObjectDisposedException.ThrowIf(file.IsClosed, this);
        if (openDatasets.TryGetValue(datasetPath, out var cached))
        {
            return cached.Id;
        }

        var dataset = Hdf5ObjectHandle.Dataset(Hdf5Methods.H5Dopen2(file.Id, datasetPath, Hdf5Library.Default));
        if (dataset.IsInvalid)
        {
            throw new Hdf5Exception(Path, datasetPath, "no such dataset (or an external link whose file is missing).");
        }

        openDatasets[datasetPath] = dataset;
        return dataset.Id;
    }

    private long[] Shape(long dataset, string datasetPath)
    {
        using var space = Hdf5ObjectHandle.Dataspace(Hdf5Methods.H5Dget_space(dataset));
        var rank = Hdf5Methods.H5Sget_simple_extent_ndims(space.Id);
        if (rank < 0 || rank > 32)
        {
            throw new Hdf5Exception(Path, datasetPath, "has an unreadable dataspace.");
        }

        var dims = stackalloc ulong[Math.Max(rank, 1)];
        Check(Hdf5Methods.H5Sget_simple_extent_dims(space.Id, dims, null), datasetPath, "H5Sget_simple_extent_dims");
        return Enumerable.Range(0, rank).Select(i => (long)dims[i]).ToArray();
    }

    /// <summary>Throws when a libhdf5 call returned a negative status.</summary>
    private void Check(int status, string objectPath, string function)
    {
        if (status < 0)
        {
            throw new Hdf5Exception(Path, objectPath, $"{function} failed.");
        }
    }
}
