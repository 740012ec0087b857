using CellVision.IO.Bdv;
using CellVision.IO.Ctc;
using CellVision.IO.Hdf5;
using CellVision.IO.Tiff;
using CellVision.IO.TrackMate;
using CellVision.IO.Zarr;
using CellVision.Torch;
using Spectre.Console;

namespace CellVision.Cli.Commands;

/// <summary>What every command needs: the console, the error stream and the cancellation token; and the one place that turns failures into exit codes.</summary>
internal sealed class CommandContext(IAnsiConsole console, TextWriter error, CancellationToken cancellationToken)
{
    /// <summary>Exit code for bad input: a missing or unreadable file, a wrong format, an invalid value.</summary>
    internal const int BadInput = 2;

    /// <summary>Exit code when the user cancelled (Ctrl+C).</summary>
    internal const int Cancelled = 130;

    internal IAnsiConsole Console { get; } = console;

    internal CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>Runs a command body and maps the failures a user can cause to one clear line and an exit code.</summary>
    internal int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (OperationCanceledException)
        {
            error.WriteLine("cancelled.");
            return Cancelled;
        }
        catch (Exception exception) when (IsUserFacing(exception))
        {
            error.WriteLine($"error: {exception.Message}");
            return BadInput;
        }
    }

    /// <summary>Writes one error line and returns <see cref="BadInput"/>.</summary>
    internal int Fail(string message)
    {
        error.WriteLine($"error: {message}");
        return BadInput;
    }

    private static bool IsUserFacing(Exception exception) => exception is
        IOException or UnauthorizedAccessException or ArgumentException or InvalidDataException or FormatException or
        ZarrFormatException or TiffFormatException or Hdf5Exception or BdvFormatException or CtcFormatException or
        TrackMateFormatException or TorchException or LibTorchNotFoundException or DllNotFoundException or NotSupportedException or
        Distributed.JobPlanException or Distributed.JobFailedException or Distributed.Slurm.SlurmException;
}
