namespace CellVision.Server.State;

/// <summary>The server's process state, with the numbers of ELEPHANT's <c>/state/process</c>.</summary>
internal enum ProcessState
{
    /// <summary>Nothing runs; also the abort signal.</summary>
    Idle = 0,

    /// <summary>A training or model reset runs.</summary>
    Run = 1,

    /// <summary>A prediction, label update or export runs; a running training is paused.</summary>
    Wait = 2,
}
