using CellVision.Server.State;

namespace CellVision.Server.Tests;

/// <summary>ELEPHANT's state protocol with a real mutex.</summary>
public sealed class ProcessStateMachineTests
{
    [Fact]
    public async Task InterleavingJobsRunOneAtATimeAndRestoreTheTrainingsState()
    {
        using var states = new ProcessStateMachine();
        Assert.True(states.TryBeginExclusive(out _));
        Assert.False(states.TryBeginExclusive(out _));
        var first = await states.EnterInterleavedAsync(CancellationToken.None);
        Assert.NotNull(first);
        Assert.Equal(ProcessState.Wait, states.State);
        var second = states.EnterInterleavedAsync(CancellationToken.None);
        await Task.Delay(50);
        Assert.False(second.IsCompleted);
        first.Dispose();
        using var secondLease = await second;
        Assert.NotNull(secondLease);
        Assert.Equal(ProcessState.Wait, states.State);
        secondLease.Dispose();
        Assert.Equal(ProcessState.Run, states.State);
        states.EndExclusive();
        Assert.Equal(ProcessState.Idle, states.State);
    }

    [Fact]
    public async Task AbortWhileWaitingAnswersNotCompletedAndCancelsTheRunningJob()
    {
        using var states = new ProcessStateMachine();
        Assert.True(states.TryBeginExclusive(out var training));
        using var running = await states.EnterInterleavedAsync(CancellationToken.None);
        var waiting = states.EnterInterleavedAsync(CancellationToken.None);
        states.Set(ProcessState.Idle);
        Assert.Null(await waiting);
        Assert.True(training.IsCancellationRequested);
        Assert.True(running!.Aborted.IsCancellationRequested);
        running.Dispose();
        Assert.Equal(ProcessState.Idle, states.State);

        // A fresh job after the abort is not aborted.
        using var next = await states.EnterInterleavedAsync(CancellationToken.None);
        Assert.False(next!.Aborted.IsCancellationRequested);
    }

    [Fact]
    public async Task TrainingWaitsWhileAPredictionHoldsWait()
    {
        using var states = new ProcessStateMachine();
        Assert.True(states.TryBeginExclusive(out var token));
        var lease = await states.EnterInterleavedAsync(CancellationToken.None);
        var paused = Task.Run(() => states.WaitWhilePaused(token));
        await Task.Delay(50);
        Assert.False(paused.IsCompleted);
        lease!.Dispose();
        await paused.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(ProcessState.Run, states.State);
    }

    [Fact]
    public void LiveUpdatesReleaseOneEpochEachAndAreIgnoredWithoutLiveTraining()
    {
        using var live = new LiveUpdates();
        live.Post(3);
        Assert.False(live.IsPending);
        live.Begin();
        live.Post(2);
        Assert.True(live.IsPending);
        Assert.Equal(2, live.NextEpoch(CancellationToken.None));
        Assert.True(live.IsPending);
        live.EpochDone();
        Assert.False(live.IsPending);
        using var abort = new CancellationTokenSource();
        abort.Cancel();
        Assert.Throws<OperationCanceledException>(() => live.NextEpoch(abort.Token));
        live.End();
        Assert.False(live.IsActive);
    }
}
