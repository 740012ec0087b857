using System.Globalization;
using System.Text.Json.Nodes;

namespace CellVision.Distributed.Slurm;

/// <summary>Reads <c>squeue --json</c> (Slurm 22.05's openapi v0.0.38 layout): the state of every array task of some array jobs.</summary>
internal static class SlurmQueue
{
    /// <summary>States after which a task runs no more.</summary>
    private static readonly HashSet<string> Finished = new(StringComparer.Ordinal)
    {
        "COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "OUT_OF_MEMORY", "BOOT_FAIL", "DEADLINE", "PREEMPTED", "SPECIAL_EXIT",
    };

    /// <summary>The array tasks of <paramref name="arrayJobs"/> that are pending, running or completing, by (array job, array index), with their state.</summary>
    internal static Dictionary<(long Job, int Index), string> Active(string json, IReadOnlySet<long> arrayJobs) => Active(JsonNode.Parse(json), arrayJobs);

    /// <summary>The same, from an already parsed answer (slurmrestd's <c>GET /slurm/v0.0.38/jobs</c> has the layout of <c>squeue --json</c>).</summary>
    internal static Dictionary<(long Job, int Index), string> Active(JsonNode? answer, IReadOnlySet<long> arrayJobs)
    {
        var active = new Dictionary<(long, int), string>();
        var jobs = answer?["jobs"] as JsonArray ?? throw new SlurmException("The job list (squeue --json or slurmrestd) has no 'jobs' array.");
        foreach (var job in jobs.OfType<JsonObject>())
        {
            var arrayJob = (long?)job["array_job_id"] ?? 0;
            if (!arrayJobs.Contains(arrayJob))
            {
                continue;
            }

            var state = (string?)job["job_state"] ?? "UNKNOWN";
            if (Finished.Contains(state))
            {
                continue;
            }

            if ((string?)job["array_task_string"] is { Length: > 0 } pending)
            {
                foreach (var index in ParseIndices(pending))
                {
                    active[(arrayJob, index)] = state;
                }
            }
            else if ((int?)job["array_task_id"] is { } index)
            {
                active[(arrayJob, index)] = state;
            }
        }

        return active;
    }

    /// <summary>Reads an array specification such as <c>0-3,7,9-11%4</c>.</summary>
    internal static IEnumerable<int> ParseIndices(string text)
    {
        var list = text.Split('%')[0];
        foreach (var part in list.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var step = 1;
            var range = part;
            if (part.Split(':') is [var r, var s])
            {
                range = r;
                step = int.Parse(s, CultureInfo.InvariantCulture);
            }

            var bounds = range.Split('-');
            var first = int.Parse(bounds[0], CultureInfo.InvariantCulture);
            var last = bounds.Length > 1 ? int.Parse(bounds[1], CultureInfo.InvariantCulture) : first;
            for (var i = first; i <= last; i += step)
            {
                yield return i;
            }
        }
    }

    /// <summary>Writes sorted indices as an array specification, e.g. 0-3,7.</summary>
    internal static string FormatIndices(IReadOnlyList<int> sorted)
    {
        var parts = new List<string>();
        for (var i = 0; i < sorted.Count;)
        {
            var j = i;
            while (j + 1 < sorted.Count && sorted[j + 1] == sorted[j] + 1)
            {
                j++;
            }

            parts.Add(j == i ? sorted[i].ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{sorted[i]}-{sorted[j]}"));
            i = j + 1;
        }

        return string.Join(',', parts);
    }
}
