using CellVision.Server.Messaging;

namespace CellVision.Server.Tests.Messaging;

public sealed class ServerMessagesTests
{
    // The expected bodies are Python's: json.dumps({"level": "INFO", "message": ...}) and
    // json.dumps({"t_max": 10, "t_current": 3}), as the ELEPHANT server publishes them.
    [Fact]
    public void Log_body_escapes_as_python_json_dumps()
    {
        var body = ServerMessages.Log("INFO", "a\"b\\c\nd\te\u0001 \u00e9 \U0001F600 \u007f");

        Assert.Equal("{\"level\": \"INFO\", \"message\": \"a\\\"b\\\\c\\nd\\te\\u0001 \\u00e9 \\ud83d\\ude00 \\u007f\"}", body);
    }

    [Fact]
    public void Dataset_progress_body_has_python_spacing()
    {
        Assert.Equal("{\"t_max\": 10, \"t_current\": 3}", ServerMessages.DatasetProgress(10, 3));
    }
}
