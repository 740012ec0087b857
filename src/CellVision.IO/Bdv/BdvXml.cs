using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace CellVision.IO.Bdv;

/// <summary>
/// A BigDataViewer SpimData 0.2 XML document with a <c>bdv.hdf5</c> image loader, as BDV, Mastodon and ELEPHANT read
/// and write it. Reading never resolves DTDs or external entities: such documents are refused.
/// </summary>
public sealed class BdvXml
{
    /// <summary>The folder that relative paths are resolved against (BasePath resolved against the XML's folder).</summary>
    public required string BaseFolder { get; init; }

    /// <summary>The HDF5 file (the master file when partitioned), relative to <see cref="BaseFolder"/> or absolute.</summary>
    public required string Hdf5File { get; init; }

    /// <summary>Partition files, empty for a single-file dataset.</summary>
    public IReadOnlyList<BdvPartition> Partitions { get; init; } = [];

    /// <summary>The view setups.</summary>
    public required IReadOnlyList<BdvViewSetup> ViewSetups { get; init; }

    /// <summary>Entities per attribute name ("channel" → (id, name)), written as <c>&lt;Attributes&gt;</c> blocks.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<(int Id, string Name)>> AttributeEntities { get; init; } = new Dictionary<string, IReadOnlyList<(int Id, string Name)>>();

    /// <summary>Timepoint ids, ascending.</summary>
    public required IReadOnlyList<int> Timepoints { get; init; }

    /// <summary>One registration per (timepoint, setup).</summary>
    public required IReadOnlyList<BdvViewRegistration> ViewRegistrations { get; init; }

    /// <summary>The HDF5 file's full path.</summary>
    public string Hdf5FullPath => Path.GetFullPath(Path.Combine(BaseFolder, Hdf5File));

    /// <summary>Reads a SpimData XML file.</summary>
    /// <param name="path">The XML file.</param>
    /// <exception cref="BdvFormatException">The XML is malformed, has a DTD, or lacks required elements.</exception>
    public static BdvXml Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        XDocument document;
        try
        {
            var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true };
            using var reader = XmlReader.Create(path, settings);
            document = XDocument.Load(reader);
        }
        catch (XmlException exception)
        {
            throw new BdvFormatException(path, "SpimData", $"cannot be parsed safely: {exception.Message} (DTDs and external entities are refused).", exception);
        }

        var root = document.Root;
        if (root?.Name.LocalName != "SpimData")
        {
            throw new BdvFormatException(path, root?.Name.LocalName ?? "(none)", "is not a SpimData root element.");
        }

        var xmlFolder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var basePath = root.Element("BasePath");
        var baseFolder = basePath is null ? xmlFolder : ResolvePath(basePath, xmlFolder);
        var sequence = Required(root, "SequenceDescription", path);
        var loader = Required(sequence, "ImageLoader", path);
        if ((string?)loader.Attribute("format") != "bdv.hdf5")
        {
            throw new BdvFormatException(path, "ImageLoader", $"has format \"{(string?)loader.Attribute("format")}\"; only bdv.hdf5 is supported.");
        }

        var hdf5 = Required(loader, "hdf5", path);
        var partitions = loader.Elements("partition").Select(p => new BdvPartition(
            Required(p, "path", path).Value.Trim(),
            Ints(p.Element("timepoints")?.Value),
            Ints(p.Element("setups")?.Value))).ToList();

        var viewSetups = Required(sequence, "ViewSetups", path);
        var setups = viewSetups.Elements("ViewSetup").Select(s => ReadSetup(s, path)).ToList();
        var entities = viewSetups.Elements("Attributes").ToDictionary(
            a => (string?)a.Attribute("name") ?? throw new BdvFormatException(path, "Attributes", "has no name attribute."),
            a => (IReadOnlyList<(int, string)>)a.Elements().Select(e => (Int(Required(e, "id", path).Value, path, "id"), e.Element("name")?.Value ?? string.Empty)).ToList());

        var registrations = Required(root, "ViewRegistrations", path).Elements("ViewRegistration").Select(r => new BdvViewRegistration(
            Int((string?)r.Attribute("timepoint") ?? string.Empty, path, "ViewRegistration timepoint"),
            Int((string?)r.Attribute("setup") ?? string.Empty, path, "ViewRegistration setup"),
            r.Elements("ViewTransform").Select(t => Doubles(Required(t, "affine", path).Value, 12, path, "affine")).ToList())).ToList();

        return new BdvXml
        {
            BaseFolder = baseFolder,
            Hdf5File = ResolvePath(hdf5, baseFolder),
            Partitions = partitions,
            ViewSetups = setups,
            AttributeEntities = entities,
            Timepoints = ReadTimepoints(Required(sequence, "Timepoints", path), path),
            ViewRegistrations = registrations,
        };
    }

    /// <summary>Writes the document (atomically: temporary name, then rename), with relative paths and '/' separators.</summary>
    /// <param name="path">The XML file.</param>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var xmlFolder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var loader = new XElement("ImageLoader", new XAttribute("format", "bdv.hdf5"),
            new XElement("hdf5", new XAttribute("type", "relative"), Relative(Hdf5FullPath, BaseFolder)));
        foreach (var partition in Partitions)
        {
            loader.Add(new XElement("partition",
                new XElement("path", new XAttribute("type", "relative"), partition.Path.Replace('\\', '/')),
                new XElement("timepoints", string.Join(' ', partition.Timepoints)),
                new XElement("setups", string.Join(' ', partition.Setups))));
        }

        var setups = new XElement("ViewSetups", ViewSetups.Select(s => new XElement("ViewSetup",
            new XElement("id", s.Id),
            s.Name is null ? null : new XElement("name", s.Name),
            new XElement("size", string.Join(' ', s.Size)),
            new XElement("voxelSize", new XElement("unit", s.VoxelUnit), new XElement("size", string.Join(' ', s.VoxelSize.Select(Number)))),
            new XElement("attributes", s.Attributes.Select(a => new XElement(a.Key, a.Value))))));
        var attributeNames = ViewSetups.SelectMany(s => s.Attributes.Keys).Distinct().ToList();
        foreach (var name in attributeNames)
        {
            var list = AttributeEntities.TryGetValue(name, out var known) ? known : ViewSetups.Select(s => s.Attributes.GetValueOrDefault(name)).Distinct().Select(id => (id, id.ToString(CultureInfo.InvariantCulture))).ToList();
            var elementName = char.ToUpperInvariant(name[0]) + name[1..];
            setups.Add(new XElement("Attributes", new XAttribute("name", name), list.Select(e => new XElement(elementName, new XElement("id", e.Id), new XElement("name", e.Name)))));
        }

        var contiguous = Timepoints.Count > 0 && Timepoints.Zip(Timepoints.Skip(1)).All(p => p.Second == p.First + 1);
        var timepoints = contiguous
            ? new XElement("Timepoints", new XAttribute("type", "range"), new XElement("first", Timepoints[0]), new XElement("last", Timepoints[^1]))
            : new XElement("Timepoints", new XAttribute("type", "list"), Timepoints.Select(t => new XElement("Timepoint", new XElement("id", t), new XElement("name", t))));

        var document = new XDocument(new XDeclaration("1.0", "UTF-8", null), new XElement("SpimData", new XAttribute("version", "0.2"),
            new XElement("BasePath", new XAttribute("type", "relative"), Relative(BaseFolder, xmlFolder)),
            new XElement("SequenceDescription", loader, setups, timepoints),
            new XElement("ViewRegistrations", ViewRegistrations.Select(r => new XElement("ViewRegistration",
                new XAttribute("timepoint", r.Timepoint), new XAttribute("setup", r.Setup),
                r.Affines.Select(a => new XElement("ViewTransform", new XAttribute("type", "affine"), new XElement("affine", string.Join(' ', a.Select(Number))))))))));

        var temporary = $"{Path.GetFullPath(path)}.{Guid.NewGuid():N}.partial";
        try
        {
            document.Save(temporary);
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    private static BdvViewSetup ReadSetup(XElement setup, string path)
    {
        var voxel = setup.Element("voxelSize");
        var attributes = setup.Element("attributes")?.Elements().ToDictionary(e => e.Name.LocalName, e => Int(e.Value, path, $"attributes/{e.Name.LocalName}")) ?? [];
        return new BdvViewSetup(
            Int(Required(setup, "id", path).Value, path, "ViewSetup id"),
            setup.Element("name")?.Value,
            setup.Element("size") is { } size ? Doubles(size.Value, 3, path, "size").Select(v => (long)v).ToArray() : [0, 0, 0],
            voxel?.Element("unit")?.Value ?? "pixel",
            voxel?.Element("size") is { } vs ? Doubles(vs.Value, 3, path, "voxelSize") : [1, 1, 1],
            attributes);
    }

    private static int[] ReadTimepoints(XElement element, string path)
    {
        switch ((string?)element.Attribute("type"))
        {
            case "range":
                var first = Int(Required(element, "first", path).Value, path, "first");
                var last = Int(Required(element, "last", path).Value, path, "last");
                return last < first ? throw new BdvFormatException(path, "Timepoints", $"has last {last} before first {first}.") : Enumerable.Range(first, last - first + 1).ToArray();
            case "list":
                return element.Elements("Timepoint").Select(t => Int(Required(t, "id", path).Value, path, "Timepoint id")).Order().ToArray();
            case "pattern":
                return ParsePattern(Required(element, "integerpattern", path).Value, path);
            default:
                throw new BdvFormatException(path, "Timepoints", $"has type \"{(string?)element.Attribute("type")}\"; expected range, list or pattern.");
        }
    }

    private static int[] ParsePattern(string pattern, string path)
    {
        var result = new SortedSet<int>();
        foreach (var item in pattern.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var stepParts = item.Split(':');
            var step = stepParts.Length > 1 ? Int(stepParts[1], path, "integerpattern") : 1;
            var range = stepParts[0].Split('-');
            var from = Int(range[0], path, "integerpattern");
            var to = range.Length > 1 ? Int(range[1], path, "integerpattern") : from;
            if (step < 1 || to < from || to - from > 10_000_000)
            {
                throw new BdvFormatException(path, "integerpattern", $"item '{item}' is not a valid range.");
            }

            for (var t = from; t <= to; t += step)
            {
                result.Add(t);
            }
        }

        return [.. result];
    }

    private static string ResolvePath(XElement element, string relativeTo)
    {
        var text = element.Value.Trim();
        return (string?)element.Attribute("type") == "absolute" ? text : Path.GetFullPath(Path.Combine(relativeTo, text));
    }

    private static string Relative(string target, string from)
    {
        var relative = Path.GetRelativePath(from, target).Replace('\\', '/');
        return relative.Length == 0 ? "." : relative;
    }

    private static XElement Required(XElement parent, string name, string path) =>
        parent.Element(name) ?? throw new BdvFormatException(path, name, $"is missing from <{parent.Name.LocalName}>.");

    private static int Int(string text, string path, string element) =>
        int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : throw new BdvFormatException(path, element, $"holds '{text}', not an integer.");

    private static int[] Ints(string? text) =>
        text is null ? [] : text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray();

    private static double[] Doubles(string text, int count, string path, string element)
    {
        var parts = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var values = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]))
            {
                throw new BdvFormatException(path, element, $"holds '{parts[i]}', not a number.");
            }
        }

        return values.Length == count ? values : throw new BdvFormatException(path, element, $"holds {values.Length} numbers; {count} are required.");
    }

    private static string Number(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal) || text.Contains('N', StringComparison.Ordinal) ? text : text + ".0";
    }
}
