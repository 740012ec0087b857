using Microsoft.Extensions.Hosting;

namespace CellVision.Server.State;

/// <summary>
/// Aborts every running job when the application stops (Ctrl+C, SIGTERM): trainings stop at their next step with the
/// last saved model intact (models are written to a temporary name and renamed), predictions and exports answer as
/// aborted, and the open requests complete before Kestrel closes.
/// </summary>
internal sealed class AbortOnShutdown(IHostApplicationLifetime lifetime, ProcessStateMachine states) : IHostedService
{
    private CancellationTokenRegistration registration;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        registration = lifetime.ApplicationStopping.Register(() => states.Set(ProcessState.Idle));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        registration.Dispose();
        return Task.CompletedTask;
    }
}
