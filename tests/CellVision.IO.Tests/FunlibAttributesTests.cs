using System.Text.Json.Nodes;
using CellVision.IO.Zarr;

namespace CellVision.IO.Tests;

/// <summary>funlib's <c>resolution</c> and <c>offset</c> attributes: written beside other attributes, read by zarr-python, and read back.</summary>
public sealed class FunlibAttributesTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("cellvision-funlib-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Written_attributes_keep_the_others_and_read_in_zarr_python()
    {
        var path = Path.Combine(folder, "a.zarr");
        var array = ZarrArray.Create<byte>(path, [4, 5, 6], [2, 5, 6]);
        array.WriteAttributes(new JsonObject { ["note"] = "kept" });
        new FunlibAttributes([40, 4, 4.5], [400, 0, -9]).WriteTo(array);
        var read = FunlibAttributes.Read(ZarrArray.Open(path))!;
        Assert.Equal([40, 4, 4.5], read.Resolution);
        Assert.Equal([400.0, 0, -9], read.Offset);
        Assert.Equal("kept", array.ReadAttributes()["note"]!.GetValue<string>());
        var python = PythonReference.RunInline("import sys, zarr; a = zarr.open(sys.argv[1], mode='r'); print(repr(a.attrs['resolution']), repr(a.attrs['offset']), a.attrs['note'])", path);
        Assert.Equal("[40, 4, 4.5] [400, 0, -9] kept", python);
    }

    [Fact]
    public void Attributes_written_by_zarr_python_are_read_with_funlibs_defaults()
    {
        var path = Path.Combine(folder, "b.zarr");
        PythonReference.RunInline("import sys, zarr; a = zarr.open(sys.argv[1], mode='w', shape=(3, 4, 5), dtype='u1'); a.attrs['resolution'] = [8, 8, 8]", path);
        var read = FunlibAttributes.Read(ZarrArray.Open(path))!;
        Assert.Equal([8.0, 8, 8], read.Resolution);
        Assert.Equal([0.0, 0, 0], read.Offset);
        ZarrArray.Open(path).WriteAttributes([]);
        Assert.Null(FunlibAttributes.Read(ZarrArray.Open(path)));
    }

    [Fact]
    public void Malformed_attributes_name_the_file_and_the_field()
    {
        var path = Path.Combine(folder, "c.zarr");
        var array = ZarrArray.Create<byte>(path, [4, 5, 6], [2, 5, 6]);
        array.WriteAttributes(new JsonObject { ["offset"] = new JsonArray(1, 2) });
        var exception = Assert.Throws<ZarrFormatException>(() => FunlibAttributes.Read(array));
        Assert.Equal("offset", exception.Field);
        Assert.EndsWith(".zattrs", exception.Path, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new FunlibAttributes([1, 1], [0, 0]).WriteTo(array));
        Assert.Throws<ArgumentException>(() => new FunlibAttributes([1, 0, 1], [0, 0, 0]).WriteTo(array));
    }
}
