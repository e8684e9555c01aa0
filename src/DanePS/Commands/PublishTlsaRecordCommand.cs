using System.Management.Automation;
using System.Threading.Tasks;
using DanePS.Engine.Providers;
using DanePS.Engine.Tlsa;

namespace DanePS.Commands;

/// <summary>
/// <para type="synopsis">Publishes TLSA records through a DNS provider (Cloudflare or RFC 2136); a record already published is reported, not added twice.</para>
/// </summary>
[Cmdlet(VerbsData.Publish, "TlsaRecord", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(TlsaChange))]
public sealed class PublishTlsaRecordCommand : TlsaChangeCmdlet
{
    /// <summary>TTL in seconds of the new records; by default the record's own TTL (read from DNS), else 300. Cloudflare's "automatic" is 1.</summary>
    [Parameter]
    [ValidateRange(1, 604800)]
    public int? Ttl { get; set; }

    /// <inheritdoc />
    protected override string NoOwnerErrorId => ErrorIds.PublishTlsaRecordNoOwnerName;

    /// <inheritdoc />
    protected override string FailedErrorId => ErrorIds.PublishTlsaRecordProviderFailed;

    /// <inheritdoc />
    protected override string InvalidHostNameErrorId => ErrorIds.PublishTlsaRecordInvalidHostName;

    /// <inheritdoc />
    protected override bool Confirm(string ownerName, TlsaRecord record) =>
        ShouldProcess($"{ownerName} TLSA {record}", $"Publish through {Provider.Description}");

    /// <inheritdoc />
    protected override Task<TlsaChange> ChangeAsync(string ownerName, TlsaRecord record) =>
        Provider.AddAsync(ownerName, record, Ttl ?? (record as DnsTlsaRecord)?.Ttl ?? 300, CancelToken);
}
