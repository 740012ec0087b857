namespace CellVision.Server.Tests.Status;

/// <summary>A test that drives a headless Chromium: reported as skipped, with the reason, when none is installed.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (HeadlessChromium.Executable is null)
        {
            Skip = "chromium is not installed (Debian: apt-get install chromium; scripts/install-dependencies.sh installs it).";
        }
    }
}
