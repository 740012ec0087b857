using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CellVision.Hosting.Tests;

/// <summary>A service provider with CellVision registered and every log message captured.</summary>
internal sealed class TestHost : IDisposable
{
    internal TestHost(Action<CellVisionOptions>? configure = null)
    {
        var services = new ServiceCollection()
            .AddLogging(logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace))
            .AddCellVision(configure);
        Services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    internal CapturingLoggerProvider Logs { get; } = new();

    internal ServiceProvider Services { get; }

    internal T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public void Dispose() => Services.Dispose();
}
