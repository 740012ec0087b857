namespace CellVision.Server.Http;

/// <summary>A request the server refuses: answered with <see cref="StatusCode"/> and <c>{"error": Message}</c>.</summary>
internal sealed class ElephantRequestException : Exception
{
    public ElephantRequestException()
        : this("The request is invalid.")
    {
    }

    public ElephantRequestException(string message)
        : this(message, 400)
    {
    }

    public ElephantRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
        StatusCode = 400;
    }

    public ElephantRequestException(string message, int statusCode)
        : base(message)
    {
        StatusCode = statusCode;
    }

    /// <summary>400 or 500.</summary>
    public int StatusCode { get; }
}
