using System.CommandLine;

namespace CellVision.Benchmarks.Commands;

/// <summary><c>astec-relink</c>: <see cref="AstecRelink"/>.</summary>
internal static class AstecRelinkCommand
{
    internal static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Folder of one sub-folder per embryo (spots.csv, links.csv)", DefaultValueFactory = _ => "../shared/data/astec-phallusia-lineages/derived" };
        var embryos = new Option<string>("--embryos") { Description = "Comma-separated embryo folders", DefaultValueFactory = _ => "Pm02,Pm03,Pm04,Pm05" };
        var threshold = new Option<double?>("--threshold") { Description = "A linking distance threshold to try besides the default, 5 × median true link length and the median spot spacing" };
        var command = new Command("astec-relink", "ASTEC Phallusia embryos relinked by nearest-neighbour linking: link precision and recall, division recall, TRA and LNK")
        {
            data, embryos, threshold,
        };
        command.SetAction(result => AstecRelink.Run(result.GetValue(data)!, result.GetValue(embryos)!.Split(','), result.GetValue(threshold)));
        return command;
    }
}
