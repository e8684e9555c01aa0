using System;
using System.Management.Automation;
using System.Security;
using DanePS.Engine.Dns;
using DanePS.Engine.Providers;
using DanePS.Engine.Providers.Cloudflare;
using DanePS.Engine.Providers.Rfc2136;

namespace DanePS.Commands;

/// <summary>
/// <para type="synopsis">Makes a DNS provider object (Cloudflare API v4, or RFC 2136 dynamic update with TSIG) for Publish-TlsaRecord, Unpublish-TlsaRecord and Invoke-TlsaRollover.</para>
/// </summary>
[Cmdlet(VerbsCommon.New, "TlsaProvider", DefaultParameterSetName = CloudflareSet)]
[OutputType(typeof(CloudflareTlsaProvider), typeof(Rfc2136TlsaProvider))]
public sealed class NewTlsaProviderCommand : PSCmdlet
{
    private const string CloudflareSet = "Cloudflare";
    private const string Rfc2136Set = "Rfc2136";

    /// <summary>Use the Cloudflare API v4.</summary>
    [Parameter(Mandatory = true, ParameterSetName = CloudflareSet)]
    public SwitchParameter Cloudflare { get; set; }

    /// <summary>A Cloudflare API token (Zone.DNS edit; Zone read to find a zone by name), as a SecureString. Never shown or logged.</summary>
    [Parameter(Mandatory = true, ParameterSetName = CloudflareSet)]
    public SecureString ApiToken { get; set; } = null!;

    /// <summary>The Cloudflare zone id; no lookup by name is then made.</summary>
    [Parameter(ParameterSetName = CloudflareSet)]
    [ValidatePattern("^[0-9a-fA-F]{32}$")]
    public string? ZoneId { get; set; }

    /// <summary>The API's base address; another only for a proxy or an emulator.</summary>
    [Parameter(ParameterSetName = CloudflareSet)]
    public Uri? ApiUri { get; set; }

    /// <summary>Use RFC 2136 dynamic update signed with TSIG.</summary>
    [Parameter(Mandatory = true, ParameterSetName = Rfc2136Set)]
    public SwitchParameter Rfc2136 { get; set; }

    /// <summary>The TSIG key: user name = key name, password = the base64 secret (as tsig-keygen or keymgr print it).</summary>
    [Parameter(Mandatory = true, ParameterSetName = Rfc2136Set)]
    [Credential]
    public PSCredential TsigKey { get; set; } = null!;

    /// <summary>The TSIG algorithm; hmac-sha256 by default.</summary>
    [Parameter(ParameterSetName = Rfc2136Set)]
    [ValidateSet("hmac-sha256", "hmac-sha384", "hmac-sha512", "hmac-sha1")]
    public string TsigAlgorithm { get; set; } = "hmac-sha256";

    /// <summary>The primary server (IP or IP:port) to send updates to; by default the address of the zone's SOA MNAME.</summary>
    [Parameter(ParameterSetName = Rfc2136Set)]
    public string? PrimaryServer { get; set; }

    /// <summary>Resolvers used to find the zone and its SOA MNAME (IP or IP:port); the system's by default.</summary>
    [Parameter(ParameterSetName = Rfc2136Set)]
    public string[] Server { get; set; } = Array.Empty<string>();

    /// <summary>The zone name (RFC 2136: the zone to update; Cloudflare: the zone to look up). By default found from each record's owner name.</summary>
    [Parameter]
    [Alias("ZoneName")]
    public string? Zone { get; set; }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        try
        {
            TlsaProvider provider = ParameterSetName == CloudflareSet
                ? new CloudflareTlsaProvider(new CloudflareProviderOptions
                {
                    ApiToken = ApiToken,
                    ZoneId = ZoneId,
                    ZoneName = Zone,
                    BaseAddress = ApiUri ?? new Uri("https://api.cloudflare.com/client/v4/"),
                })
                : MakeRfc2136();
            WriteObject(provider);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.NewTlsaProviderInvalidParameter, ErrorCategory.InvalidArgument, null));
        }
    }

    private Rfc2136TlsaProvider MakeRfc2136()
    {
        var options = new Rfc2136ProviderOptions
        {
            Key = Engine.Providers.Rfc2136.TsigKey.FromBase64(TsigKey.UserName, TsigAlgorithm, TsigKey.Password),
            Zone = Zone,
            PrimaryServer = string.IsNullOrWhiteSpace(PrimaryServer) ? null : DnsResolverOptions.ParseServer(PrimaryServer!),
        };
        foreach (var server in Server)
        {
            options.Resolver.Servers.Add(DnsResolverOptions.ParseServer(server));
        }

        return new Rfc2136TlsaProvider(options);
    }
}
