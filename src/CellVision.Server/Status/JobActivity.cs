namespace CellVision.Server.Status;

/// <summary>
/// The exclusive job (training, model reset) that runs now or ran last, for the status page: its name, its epoch and
/// step, and the loss of every step (the last <see cref="MaxLossPoints"/>). Thread-safe: the training thread writes,
/// requests read snapshots.
/// </summary>
internal sealed class JobActivity
{
    /// <summary>How many step losses are kept (the oldest are dropped).</summary>
    public const int MaxLossPoints = 2000;

    private readonly Lock gate = new();
    private readonly Queue<(long Step, double Loss)> losses = new();
    private string? name;
    private DateTimeOffset started;
    private DateTimeOffset? ended;
    private string outcome = string.Empty;
    private int epoch, epochs, step, steps;
    private long totalSteps;

    /// <summary>Starts a job: clears the previous job's progress and losses.</summary>
    /// <param name="jobName">What runs, e.g. <c>POST /seg/train</c>.</param>
    public void Begin(string jobName)
    {
        lock (gate)
        {
            name = jobName;
            started = DateTimeOffset.UtcNow;
            ended = null;
            outcome = "running";
            epoch = epochs = step = steps = 0;
            totalSteps = 0;
            losses.Clear();
        }
    }

    /// <summary>Ends the job.</summary>
    /// <param name="result">How it ended: <c>completed</c>, <c>aborted</c> or <c>failed</c>.</param>
    public void End(string result)
    {
        lock (gate)
        {
            ended = DateTimeOffset.UtcNow;
            outcome = result;
        }
    }

    /// <summary>An epoch (or run) starts.</summary>
    /// <param name="current">The epoch, from 1.</param>
    /// <param name="total">Epochs in the job; 0 when open-ended (live training).</param>
    public void BeginEpoch(int current, int total)
    {
        lock (gate)
        {
            epoch = current;
            epochs = total;
            step = 0;
        }
    }

    /// <summary>A training step finished.</summary>
    /// <param name="current">The step within the epoch, from 1.</param>
    /// <param name="total">Steps in the epoch.</param>
    /// <param name="loss">The step's loss (NaN when the batch had nothing to learn: not plotted).</param>
    public void StepDone(int current, int total, double loss)
    {
        lock (gate)
        {
            step = current;
            steps = total;
            totalSteps++;
            if (double.IsFinite(loss))
            {
                if (losses.Count == MaxLossPoints)
                {
                    losses.Dequeue();
                }

                losses.Enqueue((totalSteps, loss));
            }
        }
    }

    /// <summary>A consistent copy of the current values.</summary>
    public Snapshot Read()
    {
        lock (gate)
        {
            return new Snapshot(name, started, ended, outcome, epoch, epochs, step, steps, [.. losses]);
        }
    }

    /// <summary>A copy of the job's values.</summary>
    /// <param name="Name">The job; null before the first one.</param>
    /// <param name="Started">When it started.</param>
    /// <param name="Ended">When it ended; null while it runs.</param>
    /// <param name="Outcome"><c>running</c>, <c>completed</c>, <c>aborted</c> or <c>failed</c>.</param>
    /// <param name="Epoch">The current epoch, from 1 (0 before the first).</param>
    /// <param name="Epochs">Epochs in the job (0: open-ended).</param>
    /// <param name="Step">The last finished step of the epoch, from 1.</param>
    /// <param name="Steps">Steps per epoch.</param>
    /// <param name="Losses">Step number in the job and loss.</param>
    internal sealed record Snapshot(string? Name, DateTimeOffset Started, DateTimeOffset? Ended, string Outcome, int Epoch, int Epochs, int Step, int Steps, (long Step, double Loss)[] Losses);
}
