using System.Globalization;

namespace CellVision.Server.Messaging;

/// <summary>
/// Where the server publishes its progress messages: a RabbitMQ broker (AMQP 0-9-1), by default the one the ELEPHANT
/// client expects (<c>amqp://user:user@localhost:5672/</c>, heartbeat off).
/// </summary>
/// <remarks>
/// The defaults are those of the original ELEPHANT server (environment variables <c>RABBITMQ_HOST</c>,
/// <c>RABBITMQ_NODE_PORT</c>, <c>RABBITMQ_VIRTUAL_HOST</c>, <c>RABBITMQ_USER</c>, <c>RABBITMQ_PASSWORD</c>) and of the
/// client's server settings. <see cref="ToString"/> never shows the password.
/// </remarks>
public sealed record RabbitMqSettings
{
    /// <summary>The AMQP port, 5672.</summary>
    public const int DefaultPort = 5672;

    /// <summary>The AMQP-over-TLS port, 5671.</summary>
    public const int DefaultTlsPort = 5671;

    /// <summary>The broker's host name or address. Default <c>localhost</c>.</summary>
    public string HostName { get; init; } = "localhost";

    /// <summary>The broker's port. Default <see cref="DefaultPort"/> (5672).</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>The virtual host. Default <c>/</c>.</summary>
    public string VirtualHost { get; init; } = "/";

    /// <summary>The user name. Default <c>user</c> (the ELEPHANT default).</summary>
    public string UserName { get; init; } = "user";

    /// <summary>The password. Default <c>user</c> (the ELEPHANT default).</summary>
    public string Password { get; init; } = "user";

    /// <summary>Whether to connect with TLS (<c>amqps</c>). Default <see langword="false"/>.</summary>
    public bool UseTls { get; init; }

    /// <summary>The AMQP heartbeat interval; <see cref="TimeSpan.Zero"/> (the default, as in ELEPHANT) turns heartbeats off.</summary>
    public TimeSpan Heartbeat { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// Reads settings from an AMQP URI, <c>amqp://user:password@host:port/vhost</c> (or <c>amqps://…</c> for TLS);
    /// every part left out keeps its ELEPHANT default.
    /// </summary>
    /// <param name="uri">
    /// An absolute <c>amqp</c> or <c>amqps</c> URI. User name, password and virtual host may be percent-encoded; the
    /// virtual host is the single path segment (<c>/</c> or an empty path is the default <c>/</c>, <c>/%2F</c> is also
    /// <c>/</c>, <c>/cells</c> is <c>cells</c>). The only query parameter accepted is <c>heartbeat</c>, in whole seconds.
    /// </param>
    /// <returns>The settings.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="uri"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// The URI is relative, its scheme is not <c>amqp</c>/<c>amqps</c>, it has no host, its user information has no
    /// password, its path has more than one segment, it has a fragment, or its query holds anything but a whole,
    /// non-negative <c>heartbeat</c>; the message names the part and the value.
    /// </exception>
    public static RabbitMqSettings Parse(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!uri.IsAbsoluteUri)
        {
            throw new ArgumentException($"The RabbitMQ broker URI '{uri}' is relative; expected amqp://user:password@host:port/vhost.", nameof(uri));
        }

        var useTls = uri.Scheme switch
        {
            "amqp" => false,
            "amqps" => true,
            _ => throw new ArgumentException($"The scheme '{uri.Scheme}' of the RabbitMQ broker URI '{Redact(uri)}' is not supported; expected amqp or amqps.", nameof(uri)),
        };
        if (string.IsNullOrEmpty(uri.Host))
        {
            throw new ArgumentException($"The RabbitMQ broker URI '{Redact(uri)}' has no host; expected amqp://user:password@host:port/vhost.", nameof(uri));
        }

        var settings = new RabbitMqSettings
        {
            HostName = uri.HostNameType == UriHostNameType.IPv6 ? uri.Host.Trim('[', ']') : uri.Host,
            Port = uri.IsDefaultPort || uri.Port < 0 ? (useTls ? DefaultTlsPort : DefaultPort) : uri.Port,
            UseTls = useTls,
        };

        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                throw new ArgumentException($"The user information '{uri.UserInfo}' of the RabbitMQ broker URI '{Redact(uri)}' has no password; expected user:password.", nameof(uri));
            }

            var userName = Uri.UnescapeDataString(uri.UserInfo[..colon]);
            if (userName.Length == 0)
            {
                throw new ArgumentException($"The user name of the RabbitMQ broker URI '{Redact(uri)}' is empty; expected user:password.", nameof(uri));
            }

            settings = settings with { UserName = userName, Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]) };
        }

        var path = uri.AbsolutePath;
        if (path.Length > 1)
        {
            var segment = path[1..];
            if (segment.Contains('/', StringComparison.Ordinal))
            {
                throw new ArgumentException($"The path '{path}' of the RabbitMQ broker URI '{Redact(uri)}' has more than one segment; the virtual host is one segment, with a '/' in it written as %2F.", nameof(uri));
            }

            settings = settings with { VirtualHost = Uri.UnescapeDataString(segment) };
        }

        if (uri.Fragment.Length > 0)
        {
            throw new ArgumentException($"The RabbitMQ broker URI '{Redact(uri)}' has a fragment '{uri.Fragment}'; remove it.", nameof(uri));
        }

        foreach (var parameter in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = parameter.IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString(equals < 0 ? parameter : parameter[..equals]);
            var value = equals < 0 ? string.Empty : Uri.UnescapeDataString(parameter[(equals + 1)..]);
            if (name != "heartbeat")
            {
                throw new ArgumentException($"The query parameter '{name}' of the RabbitMQ broker URI '{Redact(uri)}' is not supported; the only one is heartbeat (seconds).", nameof(uri));
            }

            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                throw new ArgumentException($"The heartbeat '{value}' of the RabbitMQ broker URI '{Redact(uri)}' is not a whole, non-negative number of seconds.", nameof(uri));
            }

            settings = settings with { Heartbeat = TimeSpan.FromSeconds(seconds) };
        }

        return settings;
    }

    /// <summary>Reads settings from an AMQP URI string; see <see cref="Parse(Uri)"/>.</summary>
    /// <param name="uri">An absolute <c>amqp</c> or <c>amqps</c> URI.</param>
    /// <returns>The settings.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="uri"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The text is not an absolute URI, or <see cref="Parse(Uri)"/> rejects it.</exception>
    public static RabbitMqSettings Parse(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed))
        {
            throw new ArgumentException($"'{uri}' is not an absolute URI; expected amqp://user:password@host:port/vhost.", nameof(uri));
        }

        return Parse(parsed);
    }

    /// <summary>The broker as a URI without the password, e.g. <c>amqp://user@localhost:5672/</c>.</summary>
    /// <returns>The redacted URI.</returns>
    public override string ToString()
    {
        var host = HostName.Contains(':', StringComparison.Ordinal) ? $"[{HostName}]" : HostName;
        var vhost = VirtualHost == "/" ? string.Empty : Uri.EscapeDataString(VirtualHost);
        return string.Create(CultureInfo.InvariantCulture, $"{(UseTls ? "amqps" : "amqp")}://{Uri.EscapeDataString(UserName)}@{host}:{Port}/{vhost}");
    }

    private static string Redact(Uri uri)
    {
        var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return uri.OriginalString;
        }

        var rest = uri.GetComponents(UriComponents.HostAndPort | UriComponents.PathAndQuery | UriComponents.Fragment, UriFormat.UriEscaped);
        return $"{uri.Scheme}://{uri.UserInfo[..colon]}:***@{rest}";
    }
}
