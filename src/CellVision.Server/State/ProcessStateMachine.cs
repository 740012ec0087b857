namespace CellVision.Server.State;

/// <summary>
/// ELEPHANT's state machine (IDLE, RUN, WAIT) with a real mutex: exclusive jobs (trainings, model resets) need IDLE and
/// set RUN; interleaving jobs (predictions, label updates, exports) run one at a time, set WAIT (which pauses a running
/// training at its next step) and restore the previous state unless an abort set IDLE meanwhile. Setting IDLE cancels
/// every running job's token.
/// </summary>
internal sealed class ProcessStateMachine : IDisposable
{
    private readonly Lock gate = new();
    private readonly SemaphoreSlim interleaved = new(1, 1);
    private readonly ManualResetEventSlim notWaiting = new(initialState: true);
    private CancellationTokenSource abort = new();
    private ProcessState state;

    /// <summary>The current state.</summary>
    public ProcessState State
    {
        get
        {
            lock (gate)
            {
                return state;
            }
        }
    }

    /// <summary>Sets the state as <c>POST /state/process</c> does; IDLE aborts every running job.</summary>
    /// <param name="value">The new state.</param>
    public void Set(ProcessState value)
    {
        lock (gate)
        {
            state = value;
            if (value == ProcessState.Idle)
            {
                var aborted = abort;
                abort = new CancellationTokenSource();
                aborted.Cancel();
            }

            Signal();
        }
    }

    /// <summary>Starts an exclusive job when the state is IDLE (state := RUN).</summary>
    /// <param name="token">Cancelled when the job is aborted.</param>
    /// <returns>False when another job runs.</returns>
    public bool TryBeginExclusive(out CancellationToken token)
    {
        lock (gate)
        {
            if (state != ProcessState.Idle)
            {
                token = default;
                return false;
            }

            state = ProcessState.Run;
            token = abort.Token;
            Signal();
            return true;
        }
    }

    /// <summary>Ends an exclusive job (state := IDLE, as ELEPHANT does after every training or reset).</summary>
    public void EndExclusive()
    {
        lock (gate)
        {
            state = ProcessState.Idle;
            Signal();
        }
    }

    /// <summary>
    /// Waits until no other interleaving job runs, then sets WAIT. Returns null when an abort came while waiting
    /// (ELEPHANT then answers <c>{"completed": false}</c>).
    /// </summary>
    /// <param name="cancellationToken">The request's token.</param>
    /// <returns>The lease (dispose to restore the state), or null after an abort.</returns>
    public async Task<InterleavedLease?> EnterInterleavedAsync(CancellationToken cancellationToken)
    {
        CancellationToken aborted;
        lock (gate)
        {
            aborted = abort.Token;
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(aborted, cancellationToken);
        try
        {
            await interleaved.WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        lock (gate)
        {
            if (aborted.IsCancellationRequested)
            {
                interleaved.Release();
                return null;
            }

            var saved = state == ProcessState.Run ? ProcessState.Run : ProcessState.Idle;
            state = ProcessState.Wait;
            Signal();
            return new InterleavedLease(this, saved, abort.Token);
        }
    }

    /// <summary>Blocks a training between steps while the state is WAIT.</summary>
    /// <param name="cancellationToken">The training's abort token.</param>
    public void WaitWhilePaused(CancellationToken cancellationToken) => notWaiting.Wait(cancellationToken);

    /// <summary>Releases the synchronisation objects.</summary>
    public void Dispose()
    {
        interleaved.Dispose();
        notWaiting.Dispose();
        abort.Dispose();
    }

    private void Leave(ProcessState saved)
    {
        lock (gate)
        {
            if (state != ProcessState.Idle)
            {
                state = saved;
            }

            Signal();
        }

        interleaved.Release();
    }

    // Call under the gate.
    private void Signal()
    {
        if (state == ProcessState.Wait)
        {
            notWaiting.Reset();
        }
        else
        {
            notWaiting.Set();
        }
    }

    /// <summary>An interleaving job's hold on the WAIT state.</summary>
    internal sealed class InterleavedLease : IDisposable
    {
        private readonly ProcessStateMachine owner;
        private readonly ProcessState saved;
        private int disposed;

        internal InterleavedLease(ProcessStateMachine owner, ProcessState saved, CancellationToken aborted)
        {
            this.owner = owner;
            this.saved = saved;
            Aborted = aborted;
        }

        /// <summary>Cancelled when the job is aborted.</summary>
        public CancellationToken Aborted { get; }

        /// <summary>Restores the state saved at entry unless an abort set IDLE, and lets the next job in.</summary>
        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                owner.Leave(saved);
            }
        }
    }
}
