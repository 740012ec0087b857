using System.Reflection;
using System.Text.Json;
using CellVision.Server.Endpoints;
using CellVision.Server.Http;
using CellVision.Server.State;
using CellVision.Torch;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CellVision.Server.Status;

/// <summary>
/// The status page (<c>GET /</c>, which the ELEPHANT client never requests) and the JSON it polls every second
/// (<c>GET /status.json</c>): state, the running job's progress and losses, devices and the last log records.
/// </summary>
internal static class StatusEndpoints
{
    private const string PageResource = "CellVision.Server.Status.status.html";

    private static readonly Lazy<byte[]> Page = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(PageResource)
            ?? throw new InvalidOperationException($"Missing embedded resource {PageResource}");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", () => Results.Bytes(Page.Value, "text/html; charset=utf-8"))
            .WithSummary("Status page")
            .WithDescription("An HTML page that shows the state, the running job, its loss curve, the devices and the last log records, updated every second from status.json.");
        endpoints.MapGet("/status.json", (HttpContext context) => ElephantResponses.Json(w => Write(w, context)))
            .WithSummary("Server status")
            .WithDescription("state (IDLE, RUN, WAIT), job (name, outcome, epoch, epochs, step, steps, losses as [step, loss]), device (gpus as /state/gpus, torch_threads, device), logs (the last records).");
    }

    private static void Write(Utf8JsonWriter w, HttpContext context)
    {
        var state = context.Service<ProcessStateMachine>().State;
        var job = context.Service<JobActivity>().Read();
        w.WriteStartObject();
        w.WriteString("state", state switch { ProcessState.Run => "RUN", ProcessState.Wait => "WAIT", _ => "IDLE" });
        w.WriteString("time", DateTimeOffset.UtcNow);
        WriteJob(w, job);
        w.WriteStartObject("device");
        w.WriteString("device", TorchRuntime.IsCudaAvailable ? "cuda" : "cpu");
        w.WriteNumber("torch_threads", TorchRuntime.ThreadCount);
        w.WriteNumber("processors", Environment.ProcessorCount);
        w.WritePropertyName("gpus");
        StateEndpoints.WriteGpus(w);
        w.WriteEndObject();
        w.WriteStartArray("logs");
        foreach (var entry in context.Service<ServerLogRing>().Read())
        {
            w.WriteStartObject();
            w.WriteNumber("seq", entry.Sequence);
            w.WriteString("time", entry.Time);
            w.WriteString("level", entry.Level.ToString());
            w.WriteString("category", entry.Category);
            w.WriteString("message", entry.Message);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteJob(Utf8JsonWriter w, JobActivity.Snapshot job)
    {
        if (job.Name is null)
        {
            w.WriteNull("job");
            return;
        }

        w.WriteStartObject("job");
        w.WriteString("name", job.Name);
        w.WriteString("outcome", job.Outcome);
        w.WriteString("started", job.Started);
        if (job.Ended is { } ended)
        {
            w.WriteString("ended", ended);
        }
        else
        {
            w.WriteNull("ended");
        }

        w.WriteNumber("epoch", job.Epoch);
        w.WriteNumber("epochs", job.Epochs);
        w.WriteNumber("step", job.Step);
        w.WriteNumber("steps", job.Steps);
        w.WriteStartArray("losses");
        foreach (var (step, loss) in job.Losses)
        {
            w.WriteStartArray();
            w.WriteNumberValue(step);
            w.WriteNumberValue(loss);
            w.WriteEndArray();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }
}
