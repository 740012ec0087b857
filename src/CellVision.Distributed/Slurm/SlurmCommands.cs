using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace CellVision.Distributed.Slurm;

/// <summary>Runs Slurm's command-line tools with a time limit and turns their failures into <see cref="SlurmException"/>.</summary>
internal static class SlurmCommands
{
    /// <summary>The key of <see cref="Exception.Data"/> that holds the exit code of a command that ran and failed.</summary>
    internal const string ExitCodeKey = "SlurmExitCode";

    internal static async Task<string> RunAsync(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception exception)
        {
            throw new SlurmException($"'{program}' was not found or could not start ({exception.Message}): install the Slurm client (Debian: slurm-client) on this machine and put its commands on PATH.", exception);
        }

        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            throw new SlurmException($"'{program} {string.Join(' ', start.ArgumentList)}' did not answer within {timeout.TotalSeconds:0} s; is slurmctld running (scontrol ping)?");
        }

        var text = await output.ConfigureAwait(false);
        var message = (await error.ConfigureAwait(false)).Trim();
        if (process.ExitCode != 0)
        {
            var command = new StringBuilder(program).Append(' ').AppendJoin(' ', start.ArgumentList).ToString();
            throw new SlurmException($"'{command}' failed with exit code {process.ExitCode}: {(message.Length > 0 ? message : text.Trim())}") { Data = { [ExitCodeKey] = process.ExitCode } };
        }

        return text;
    }
}
