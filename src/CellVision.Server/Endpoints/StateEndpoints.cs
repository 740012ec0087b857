using System.Globalization;
using System.Text.Json;
using CellVision.Server.Http;
using CellVision.Server.State;
using CellVision.Torch;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CellVision.Server.Endpoints;

/// <summary><c>GET /state/gpus</c> (the client's 1 s liveness poll) and <c>/state/process</c> (abort).</summary>
internal static class StateEndpoints
{
    private const double MiB = 1024 * 1024;

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.Get("/state/gpus", Gpus, "Devices (liveness poll)", "One entry per CUDA device, or the CPU entry with the host memory; the client polls it every second; never waits for a job.");
        endpoints.Post("/state/process", SetProcess, "Set the process state", "state 0 (IDLE) aborts the running training, prediction, update or export at its next step.");
        endpoints.Get("/state/process", GetProcess, "Read the process state", "0 IDLE, 1 RUN, 2 WAIT.");
    }

    /// <summary>One entry per CUDA device, or ELEPHANT's CPU pseudo entry with the host memory; never blocks.</summary>
    private static Task<IResult> Gpus(HttpContext context) => Task.FromResult(ElephantResponses.Json(WriteGpus));

    /// <summary>Writes the <c>/state/gpus</c> array (also shown by the status page).</summary>
    /// <param name="w">The writer.</param>
    public static void WriteGpus(Utf8JsonWriter w)
    {
        var devices = TorchRuntime.IsCudaAvailable ? TorchRuntime.CudaDeviceCount : 0;
        var (total, used) = HostMemory();
        w.WriteStartArray();
        if (devices == 0)
        {
            w.WriteStartObject();
            w.WriteString("id", "GPU is not available");
            w.WriteNumber("mem_total", Math.Round(total / MiB, 1));
            w.WriteNumber("mem_used", Math.Round(used / MiB, 1));
            w.WriteString("name", "CPU is used");
            w.WriteEndObject();
        }

        for (var i = 0; i < devices; i++)
        {
            w.WriteStartObject();
            w.WriteString("id", i.ToString(CultureInfo.InvariantCulture));
            w.WriteNumber("mem_total", 0);
            w.WriteNumber("mem_used", 0);
            w.WriteString("name", $"CUDA device {i}");
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static async Task<IResult> SetProcess(HttpContext context)
    {
        var request = await ElephantJsonRequest.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var value = request.Has("state") ? request.Double("state") : double.NaN;
        if (value is not (0 or 1 or 2))
        {
            throw new ElephantRequestException($"Invalid state: {(request.Has("state") ? value.ToString(CultureInfo.InvariantCulture) : "missing")}");
        }

        var states = context.Service<ProcessStateMachine>();
        states.Set((ProcessState)(int)value);
        return Process(states.State);
    }

    private static Task<IResult> GetProcess(HttpContext context) => Task.FromResult(Process(context.Service<ProcessStateMachine>().State));

    private static IResult Process(ProcessState state) => ElephantResponses.Json(w =>
    {
        w.WriteStartObject();
        w.WriteNumber("state", (int)state);
        w.WriteBoolean("success", true);
        w.WriteEndObject();
    });

    /// <summary>Total and used host memory in bytes (Linux: /proc/meminfo; elsewhere the GC's view).</summary>
    private static (double Total, double Used) HostMemory()
    {
        double total = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes, available = double.NaN;
        try
        {
            if (File.Exists("/proc/meminfo"))
            {
                foreach (var line in File.ReadLines("/proc/meminfo"))
                {
                    var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (parts.Length >= 2 && double.TryParse(parts[1], CultureInfo.InvariantCulture, out var kib))
                    {
                        if (parts[0] == "MemTotal:")
                        {
                            total = kib * 1024;
                        }
                        else if (parts[0] == "MemAvailable:")
                        {
                            available = kib * 1024;
                        }
                    }
                }
            }
        }
        catch (IOException)
        {
        }

        var used = double.IsNaN(available) ? Environment.WorkingSet : total - available;
        return (total, Math.Max(0, used));
    }
}
