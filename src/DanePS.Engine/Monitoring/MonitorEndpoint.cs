using DanePS.Engine.Tls;

namespace DanePS.Engine.Monitoring;

/// <summary>One endpoint a monitor checks: host, port and how TLS starts there.</summary>
public sealed class MonitorEndpoint
{
    /// <summary>Creates an endpoint.</summary>
    public MonitorEndpoint(string hostName, int port, StartTlsProtocol startTls)
    {
        HostName = hostName;
        Port = port;
        StartTls = startTls;
    }

    /// <summary>The host name (ASCII form).</summary>
    public string HostName { get; }

    /// <summary>The port.</summary>
    public int Port { get; }

    /// <summary>How TLS starts (Auto: by the port).</summary>
    public StartTlsProtocol StartTls { get; }

    /// <inheritdoc />
    public override string ToString() => HostName + ":" + Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
