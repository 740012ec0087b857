using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CellVision.Distributed.Slurm;

/// <summary>
/// Talks to Slurm through slurmrestd's <c>openapi/v0.0.38</c> plugin (Slurm 22.05): <c>POST job/submit</c>,
/// <c>GET jobs</c>, <c>GET job/{id}</c> and <c>DELETE job/{id}</c>, authenticated with a JWT in the
/// <c>X-SLURM-USER-NAME</c> and <c>X-SLURM-USER-TOKEN</c> headers.
/// </summary>
internal sealed class SlurmRestTransport : ISlurmTransport
{
    /// <summary>The environment variable Slurm's tools read a JWT from.</summary>
    internal const string TokenVariable = "SLURM_JWT";

    /// <summary>Slurm's "invalid job id" and "already completed" errors: the array is gone already.</summary>
    private static readonly HashSet<long> GoneErrors = [2017, 2021];

    private readonly SlurmRunnerOptions options;
    private readonly HttpClient client;
    private readonly Uri url;
    private readonly string user;
    private readonly string? token;

    /// <summary>Creates the transport for <see cref="SlurmRunnerOptions.RestUrl"/>.</summary>
    internal SlurmRestTransport(SlurmRunnerOptions options)
    {
        this.options = options;
        url = options.RestUrl ?? throw new ArgumentException("SlurmRunnerOptions.RestUrl is not set.", nameof(options));
        user = string.IsNullOrWhiteSpace(options.RestUser) ? System.Environment.UserName : options.RestUser;
        token = string.IsNullOrWhiteSpace(options.RestToken) ? System.Environment.GetEnvironmentVariable(TokenVariable) : options.RestToken;
        var root = url.AbsoluteUri.EndsWith('/') ? url.AbsoluteUri : url.AbsoluteUri + "/";
        client = new HttpClient { BaseAddress = new Uri(new Uri(root), "slurm/v0.0.38/"), Timeout = options.CommandTimeout };
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        client.DefaultRequestHeaders.Add("X-SLURM-USER-NAME", user);
        if (!string.IsNullOrWhiteSpace(token))
        {
            client.DefaultRequestHeaders.Add("X-SLURM-USER-TOKEN", token);
        }
    }

    /// <inheritdoc/>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            throw new SlurmException($"No Slurm token for slurmrestd at {url}: set {TokenVariable} (create one with 'scontrol token lifespan=86400') or SlurmRunnerOptions.RestToken.");
        }

        // slurmrestd passes the token on to slurmctld, which rejects a bad one without saying why: the ping fails.
        var (status, answer) = await SendAsync(HttpMethod.Get, "ping", null, cancellationToken).ConfigureAwait(false);
        if (status != HttpStatusCode.OK || Errors(answer).Length > 0)
        {
            throw new SlurmException($"slurmrestd at {url} could not reach slurmctld as user '{user}' (HTTP {(int)status}: {Describe(answer)}). "
                + $"An invalid or expired token, or one issued to another user, gives this: create a new one with 'scontrol token lifespan=86400' and set {TokenVariable}.");
        }
    }

    /// <inheritdoc/>
    public async Task<long> SubmitAsync(SlurmArray array, CancellationToken cancellationToken)
    {
        var (status, answer) = await SendAsync(HttpMethod.Post, "job/submit", SlurmRestJob.Body(array, options), cancellationToken).ConfigureAwait(false);
        // A job id means the job is queued, even when 'errors' carries a notice (e.g. "Job is in held state").
        if (status == HttpStatusCode.OK && (long?)answer?["job_id"] is { } job and > 0)
        {
            return job;
        }

        var hint = status == HttpStatusCode.BadRequest ? " (slurmrestd's log names the value it could not parse)" : "";
        throw new SlurmException($"Slurm refused the job: slurmrestd at {url} answered HTTP {(int)status}: {Describe(answer)}{hint}");
    }

    /// <inheritdoc/>
    public async Task<Dictionary<(long Job, int Index), string>> ActiveAsync(IReadOnlySet<long> arrayJobs, CancellationToken cancellationToken)
    {
        var (status, answer) = await SendAsync(HttpMethod.Get, "jobs", null, cancellationToken).ConfigureAwait(false);
        if (status != HttpStatusCode.OK || answer is null || Errors(answer).Length > 0)
        {
            throw new SlurmException($"slurmrestd at {url} could not list the jobs (HTTP {(int)status}): {Describe(answer)}");
        }

        return SlurmQueue.Active(answer, arrayJobs);
    }

    /// <inheritdoc/>
    public async Task CancelAsync(IReadOnlyCollection<long> arrayJobs, CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        foreach (var job in arrayJobs)
        {
            var (status, answer) = await SendAsync(HttpMethod.Delete, string.Create(CultureInfo.InvariantCulture, $"job/{job}"), null, cancellationToken).ConfigureAwait(false);
            var errors = Errors(answer).Where(e => (long?)e?["error_number"] is not { } number || !GoneErrors.Contains(number)).ToList();
            if (errors.Count > 0 || (status != HttpStatusCode.OK && Errors(answer).Length == 0))
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"job {job}: HTTP {(int)status}, {Describe(answer)}"));
            }
        }

        if (failures.Count > 0)
        {
            throw new SlurmException($"slurmrestd at {url} did not cancel every array: {string.Join("; ", failures)}");
        }
    }

    /// <inheritdoc/>
    public async Task<(string State, string ExitCode)?> DescribeAsync(long arrayJob, int index, CancellationToken cancellationToken)
    {
        try
        {
            var (status, answer) = await SendAsync(HttpMethod.Get, string.Create(CultureInfo.InvariantCulture, $"job/{arrayJob}_{index}"), null, cancellationToken).ConfigureAwait(false);
            if (status == HttpStatusCode.OK && answer?["jobs"] is JsonArray { Count: > 0 } jobs && jobs[0] is JsonObject job)
            {
                return ((string?)job["job_state"] ?? "ended", job["exit_code"]?.ToJsonString() ?? "?");
            }
        }
        catch (SlurmException)
        {
        }

        return null;
    }

    /// <inheritdoc/>
    public void Dispose() => client.Dispose();

    /// <summary>Sends one request; fails for an unreachable server, a refused token, a missing API or an answer that is not JSON.</summary>
    private async Task<(HttpStatusCode Status, JsonNode? Answer)> SendAsync(HttpMethod method, string path, JsonObject? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            // slurmrestd 22.05 reads the media type only without parameters ("; charset=utf-8" makes it fail to parse).
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException exception)
        {
            throw new SlurmException($"slurmrestd at {url} cannot be reached ({exception.Message}): is slurmrestd running and listening there?", exception);
        }
        catch (TaskCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SlurmException($"slurmrestd at {url} did not answer {method} {path} within {options.CommandTimeout.TotalSeconds:0} s; is slurmctld running?", exception);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                throw new SlurmException($"slurmrestd at {url} refused the token of user '{user}' (HTTP {(int)response.StatusCode} {text.Trim()}): create a new one with 'scontrol token lifespan=86400' and set {TokenVariable}.");
            }

            if (response.StatusCode == HttpStatusCode.NotFound && string.IsNullOrWhiteSpace(text))
            {
                throw new SlurmException($"slurmrestd at {url} does not serve {method} /slurm/v0.0.38/{path} (HTTP 404): start it with the openapi/v0.0.38 plugin of Slurm 22.05.");
            }

            try
            {
                return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
            }
            catch (JsonException)
            {
                throw new SlurmException($"slurmrestd at {url} answered {method} {path} with HTTP {(int)response.StatusCode} and no JSON: {text[..Math.Min(text.Length, 300)].Trim()}");
            }
        }
    }

    private static JsonNode?[] Errors(JsonNode? answer) => answer?["errors"] is JsonArray errors ? [.. errors] : [];

    /// <summary>Slurm's words from an answer's <c>errors</c> array.</summary>
    private static string Describe(JsonNode? answer)
    {
        var errors = Errors(answer).OfType<JsonObject>().Select(e =>
        {
            var parts = new[] { (string?)e["error"], (string?)e["description"] }.Where(p => !string.IsNullOrWhiteSpace(p)).Distinct();
            var number = e["error_number"] ?? e["error_code"];
            var source = (string?)e["source"];
            return string.Join(": ", parts) + (number is null ? "" : $" (error {number.ToJsonString()}{(source is null ? "" : $" in {source}")})");
        }).ToList();
        return errors.Count > 0 ? string.Join("; ", errors) : "no error message";
    }
}
