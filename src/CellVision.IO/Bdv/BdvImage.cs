using System.Globalization;
using System.Runtime.InteropServices;
using CellVision.Core.Geometry;
using CellVision.Core.Volumes;
using CellVision.IO.Hdf5;

namespace CellVision.IO.Bdv;

/// <summary>
/// A BigDataViewer dataset (XML + HDF5) opened for reading any timepoint, setup, mipmap level and region.
/// Partitioned datasets are read through the master file's external links. Unsigned 16-bit data stored in the
/// legacy signed-16-bit form (no <c>dataType</c> attribute) are reinterpreted bit for bit, as BDV does.
/// </summary>
/// <example>
/// <code>
/// using var image = BdvImage.Open("sample.xml");
/// using Volume&lt;ushort&gt; t0 = image.ReadVolume(timepoint: 0, setup: 0);
/// </code>
/// </example>
public sealed class BdvImage : IDisposable
{
    private readonly Hdf5File file;
    private readonly Dictionary<int, (IReadOnlyList<double[]> Resolutions, string? DataTypeAttribute)> setups = [];

    private BdvImage(BdvXml xml, Hdf5File file)
    {
        Xml = xml;
        this.file = file;
    }

    /// <summary>The XML description.</summary>
    public BdvXml Xml { get; }

    /// <summary>Opens the dataset described by <paramref name="xmlPath"/>.</summary>
    /// <param name="xmlPath">The SpimData XML file.</param>
    /// <exception cref="BdvFormatException">The XML is invalid.</exception>
    /// <exception cref="FileNotFoundException">The HDF5 file is missing.</exception>
    public static BdvImage Open(string xmlPath)
    {
        var xml = BdvXml.Load(xmlPath);
        return new BdvImage(xml, Hdf5File.Open(xml.Hdf5FullPath));
    }

    /// <summary>Per level, the downsampling factors X, Y, Z of setup <paramref name="setup"/> (from <c>/sNN/resolutions</c>).</summary>
    /// <param name="setup">The setup id.</param>
    public IReadOnlyList<double[]> Resolutions(int setup) => Setup(setup).Resolutions;

    /// <summary>The element type name of setup <paramref name="setup"/>: the <c>dataType</c> attribute, or "uint16" for legacy files.</summary>
    /// <param name="setup">The setup id.</param>
    public string DataType(int setup) => Setup(setup).DataTypeAttribute ?? "uint16";

    /// <summary>Shape (Z, Y, X) of one level of one view.</summary>
    /// <param name="timepoint">Timepoint id.</param>
    /// <param name="setup">Setup id.</param>
    /// <param name="level">Mipmap level (0 = full resolution).</param>
    public long[] Shape(int timepoint, int setup, int level = 0) => file.GetShape(CellsPath(timepoint, setup, level));

    /// <summary>Reads a region of one level of one view as unsigned 16-bit voxels.</summary>
    /// <param name="timepoint">Timepoint id.</param>
    /// <param name="setup">Setup id.</param>
    /// <param name="level">Mipmap level.</param>
    /// <param name="region">Z, Y, X box; null for the whole level.</param>
    /// <exception cref="NotSupportedException">The setup's data type is not uint16 or int16.</exception>
    public Volume<ushort> ReadVolume(int timepoint, int setup, int level = 0, Box? region = null)
    {
        var path = CellsPath(timepoint, setup, level);
        var box = region ?? Box.FromShape(file.GetShape(path));
        var resolution = Resolutions(setup)[level];
        var viewSetup = Xml.ViewSetups.FirstOrDefault(s => s.Id == setup);
        var voxelSize = viewSetup is null ? VoxelSize.Unit : new VoxelSize(viewSetup.VoxelSize[0] * resolution[0], viewSetup.VoxelSize[1] * resolution[1], viewSetup.VoxelSize[2] * resolution[2]);
        var volume = new Volume<ushort>((int)box.Size[0], (int)box.Size[1], (int)box.Size[2], voxelSize);
        try
        {
            switch (DataType(setup))
            {
                case "uint16" when Setup(setup).DataTypeAttribute is null:
                    file.Read(path, box, MemoryMarshal.Cast<ushort, short>(volume.Span));
                    break;
                case "uint16":
                    file.Read(path, box, volume.Span);
                    break;
                case var other:
                    throw new NotSupportedException($"Setup {setup} holds {other} voxels; ReadVolume reads uint16 data. Use Read<T>.");
            }

            return volume;
        }
        catch
        {
            volume.Dispose();
            throw;
        }
    }

    /// <summary>Reads a region of one level of one view converted to <typeparamref name="T"/> by libhdf5.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="timepoint">Timepoint id.</param>
    /// <param name="setup">Setup id.</param>
    /// <param name="level">Mipmap level.</param>
    /// <param name="region">Z, Y, X box; null for the whole level.</param>
    public T[] Read<T>(int timepoint, int setup, int level = 0, Box? region = null)
        where T : unmanaged => file.Read<T>(CellsPath(timepoint, setup, level), region);

    private (IReadOnlyList<double[]> Resolutions, string? DataTypeAttribute) Setup(int setup)
    {
        lock (setups)
        {
            if (!setups.TryGetValue(setup, out var facts))
            {
                facts = (file.Read<double>(SetupGroup(setup) + "/resolutions").Chunk(3).ToList(), file.ReadStringAttribute(SetupGroup(setup), "dataType"));
                setups[setup] = facts;
            }

            return facts;
        }
    }

    /// <summary>Closes the HDF5 file.</summary>
    public void Dispose() => file.Dispose();

    /// <summary>The HDF5 group of a setup: <c>/s00</c>.</summary>
    /// <param name="setup">Setup id.</param>
    public static string SetupGroup(int setup) => string.Create(CultureInfo.InvariantCulture, $"/s{setup:D2}");

    /// <summary>The HDF5 dataset of a view level: <c>/t00000/s00/0/cells</c>.</summary>
    /// <param name="timepoint">Timepoint id.</param>
    /// <param name="setup">Setup id.</param>
    /// <param name="level">Mipmap level.</param>
    public static string CellsPath(int timepoint, int setup, int level) => string.Create(CultureInfo.InvariantCulture, $"/t{timepoint:D5}/s{setup:D2}/{level}/cells");
}
