using System.Diagnostics;

namespace CellVision.Server.Tests.Status;

/// <summary>Loads a page in headless Chromium, lets its scripts run, and returns the DOM as they left it.</summary>
internal static class HeadlessChromium
{
    /// <summary>The <c>chromium</c> (or <c>chromium-browser</c>) executable on the PATH; null when there is none.</summary>
    public static string? Executable { get; } = Find();

    /// <summary>Runs <c>chromium --headless --dump-dom</c> with a virtual time budget for the page's timers and fetches.</summary>
    /// <param name="url">The page.</param>
    /// <param name="virtualMilliseconds">How much (virtual) time the page's scripts get before the DOM is dumped.</param>
    /// <returns>The serialised DOM.</returns>
    public static async Task<string> DumpDomAsync(Uri url, int virtualMilliseconds = 5000)
    {
        var profile = Directory.CreateTempSubdirectory("cellvision-chromium-");
        try
        {
            var start = new ProcessStartInfo(Executable ?? throw new InvalidOperationException("chromium is not installed"))
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            // --no-sandbox: Chromium refuses to start as root with its sandbox (containers, CI).
            foreach (var argument in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", $"--user-data-dir={profile.FullName}", $"--virtual-time-budget={virtualMilliseconds}", "--dump-dom", url.ToString() })
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var error = process.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("chromium did not exit within 60 s");
            }

            Assert.True(process.ExitCode == 0, $"chromium exited with {process.ExitCode}: {await error}");
            return await output;
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }

    private static string? Find()
    {
        var folders = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return folders.SelectMany(folder => new[] { Path.Combine(folder, "chromium"), Path.Combine(folder, "chromium-browser") }).FirstOrDefault(File.Exists);
    }
}
