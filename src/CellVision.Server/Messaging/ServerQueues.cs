namespace CellVision.Server.Messaging;

/// <summary>The queue names of the ELEPHANT server's messages.</summary>
public static class ServerQueues
{
    /// <summary>"Model updated" after every saved training epoch.</summary>
    public const string Update = "update";

    /// <summary>Dataset generation progress, <c>{"t_max": T, "t_current": k}</c>.</summary>
    public const string Dataset = "dataset";

    /// <summary>Server log records of level INFO and above, <c>{"level": ..., "message": ...}</c>.</summary>
    public const string Log = "log";

    /// <summary>"Prediction updated" after every successful detection prediction (the client does not consume it).</summary>
    public const string Prediction = "prediction";
}
