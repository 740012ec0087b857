namespace CellVision.Server.State;

/// <summary>
/// ELEPHANT's live <c>timepoint</c> key: a live label update sets it, which releases one live training epoch on that
/// timepoint; the key stays set until that epoch ends (the next one starts), and updates are refused meanwhile. The key is only kept
/// while a live training runs.
/// </summary>
internal sealed class LiveUpdates : IDisposable
{
    private readonly Lock gate = new();
    private readonly SemaphoreSlim posted = new(0);
    private bool active;
    private int? timepoint;

    /// <summary>Whether a live training runs.</summary>
    public bool IsActive
    {
        get
        {
            lock (gate)
            {
                return active;
            }
        }
    }

    /// <summary>Whether an update waits to be trained on (a new live update is refused then).</summary>
    public bool IsPending
    {
        get
        {
            lock (gate)
            {
                return timepoint is not null;
            }
        }
    }

    /// <summary>A live training starts: the key is deleted.</summary>
    public void Begin()
    {
        lock (gate)
        {
            active = true;
            timepoint = null;
            while (posted.CurrentCount > 0)
            {
                posted.Wait(0);
            }
        }
    }

    /// <summary>The live training ends.</summary>
    public void End()
    {
        lock (gate)
        {
            active = false;
            timepoint = null;
        }
    }

    /// <summary>A live update of <paramref name="t"/> was written; ignored when no live training runs.</summary>
    /// <param name="t">The timepoint.</param>
    public void Post(int t)
    {
        lock (gate)
        {
            if (!active)
            {
                return;
            }

            timepoint = t;
            posted.Release();
        }
    }

    /// <summary>Waits for the next update (the key stays set while its epoch trains).</summary>
    /// <param name="cancellationToken">The training's abort token.</param>
    /// <returns>The timepoint to train on.</returns>
    public int NextEpoch(CancellationToken cancellationToken)
    {
        while (true)
        {
            posted.Wait(cancellationToken);
            lock (gate)
            {
                if (timepoint is int t)
                {
                    return t;
                }
            }
        }
    }

    /// <summary>The epoch of the last update ended: deletes the key, so the next update is accepted.</summary>
    public void EpochDone()
    {
        lock (gate)
        {
            timepoint = null;
        }
    }

    /// <summary>Releases the signal.</summary>
    public void Dispose() => posted.Dispose();
}
