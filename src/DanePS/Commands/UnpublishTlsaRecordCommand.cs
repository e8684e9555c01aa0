using System.Management.Automation;
using System.Threading.Tasks;
using DanePS.Engine.Providers;
using DanePS.Engine.Tlsa;

namespace DanePS.Commands;

/// <summary>
/// <para type="synopsis">Removes TLSA records through a DNS provider (Cloudflare or RFC 2136); a record already absent is reported, not an error.</para>
/// </summary>
[Cmdlet(VerbsData.Unpublish, "TlsaRecord", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(TlsaChange))]
public sealed class UnpublishTlsaRecordCommand : TlsaChangeCmdlet
{
    /// <inheritdoc />
    protected override string NoOwnerErrorId => ErrorIds.UnpublishTlsaRecordNoOwnerName;

    /// <inheritdoc />
    protected override string FailedErrorId => ErrorIds.UnpublishTlsaRecordProviderFailed;

    /// <inheritdoc />
    protected override string InvalidHostNameErrorId => ErrorIds.UnpublishTlsaRecordInvalidHostName;

    /// <inheritdoc />
    protected override bool Confirm(string ownerName, TlsaRecord record) =>
        ShouldProcess($"{ownerName} TLSA {record}", $"Remove through {Provider.Description}");

    /// <inheritdoc />
    protected override Task<TlsaChange> ChangeAsync(string ownerName, TlsaRecord record) =>
        Provider.RemoveAsync(ownerName, record, CancelToken);
}
