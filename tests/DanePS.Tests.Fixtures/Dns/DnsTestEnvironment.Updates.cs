using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace DanePS.Tests.Fixtures.Dns;

/// <summary>
/// RFC 2136 dynamic updates for zones with <see cref="TestZone.AcceptsUpdates"/>: the primary knotd gets a TSIG key
/// (hmac-sha256, a fresh secret per environment) and an <c>acl</c> with <c>action: update</c> for it, and signs those
/// zones itself (online signing with a manual policy and the zone's dnssec-keygen keys imported by keymgr, so the DS
/// in the parent stays right). A secondary of such a zone gets it by NOTIFY and zone transfer, as in production, so
/// an update reaches it a moment after the primary.
/// </summary>
public sealed partial class DnsTestEnvironment
{
    private const string UpdateKeyId = "daneps-update";
    private readonly string _updateSecret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The TSIG key name the primary accepts updates with.</summary>
    public string UpdateKeyName => UpdateKeyId;

    /// <summary>The TSIG key's algorithm.</summary>
    public string UpdateKeyAlgorithm => "hmac-sha256";

    /// <summary>The TSIG key's secret, base64, as tsig-keygen and nsupdate -y write it.</summary>
    public string UpdateKeySecret => _updateSecret;

    private bool AcceptsUpdates(string zone) => zone.Length > 0 && zones.Any(z => z.Name == zone && z.AcceptsUpdates);

    private bool HasUpdatableZones => zones.Any(z => z.AcceptsUpdates);

    private void AppendUpdateSections(StringBuilder config, string server)
    {
        if (!HasUpdatableZones || server == "knot-root")
        {
            return;
        }

        if (server == "knot-primary")
        {
            config.AppendLine("key:")
                .AppendLine(Invariant($"  - id: {UpdateKeyId}"))
                .AppendLine("    algorithm: hmac-sha256")
                .AppendLine(Invariant($"    secret: {_updateSecret}"))
                .AppendLine("remote:")
                .AppendLine("  - id: secondary")
                .AppendLine(Invariant($"    address: {SecondaryServerAddress}@53"))
                .AppendLine(Invariant($"    via: {PrimaryServerAddress}")) // loopback sources default to 127.0.0.1
                .AppendLine("acl:")
                .AppendLine("  - id: update")
                .AppendLine(Invariant($"    key: {UpdateKeyId}"))
                .AppendLine("    action: update")
                .AppendLine("  - id: transfer")
                .AppendLine(Invariant($"    address: {SecondaryServerAddress}"))
                .AppendLine("    action: transfer")
                .AppendLine("policy:")
                .AppendLine("  - id: manual")
                .AppendLine("    manual: on");
        }
        else
        {
            config.AppendLine("remote:")
                .AppendLine("  - id: primary")
                .AppendLine(Invariant($"    address: {PrimaryServerAddress}@53"))
                .AppendLine(Invariant($"    via: {SecondaryServerAddress}"))
                .AppendLine("acl:")
                .AppendLine("  - id: notify")
                .AppendLine(Invariant($"    address: {PrimaryServerAddress}"))
                .AppendLine("    action: notify");
        }
    }

    private void AppendUpdateZoneOptions(StringBuilder config, string server, string zone)
    {
        if (!AcceptsUpdates(zone))
        {
            return;
        }

        var testZone = zones.First(z => z.Name == zone);
        if (server == "knot-primary")
        {
            config.AppendLine(testZone.IsServedBySecondary ? "    acl: [update, transfer]" : "    acl: update");
            if (testZone.IsServedBySecondary)
            {
                config.AppendLine("    notify: secondary");
            }

            if (IsSignedZone(zone))
            {
                config.AppendLine("    dnssec-signing: on").AppendLine("    dnssec-policy: manual");
            }
        }
        else if (server == "knot-secondary")
        {
            config.AppendLine("    master: primary").AppendLine("    acl: notify").AppendLine("    zonefile-load: none");
        }
    }

    /// <summary>Imports the dnssec-keygen keys of signed updatable zones into the primary's KASP database before it starts.</summary>
    private async Task ImportSigningKeysAsync(string server, string configFile)
    {
        if (server != "knot-primary")
        {
            return;
        }

        foreach (var zone in zones.Where(z => z.AcceptsUpdates && z.IsSigned))
        {
            var zoneKeys = keys[zone.Name];
            foreach (var baseName in new[] { zoneKeys.KskBaseName, zoneKeys.ZskBaseName })
            {
                await ExternalCommand.RunToSuccessAsync(RequiredProgram.Keymgr, ["-c", configFile, zone.Fqdn, "import-bind", Path.Combine(zoneKeys.KeysFolder, baseName + ".private")], WorkingFolder, CancellationToken.None);
            }
        }
    }

    /// <summary>
    /// Whether a knotd log shows an error. A primary's NOTIFY to a secondary that is not up yet fails at start; that
    /// is expected (the secondary transfers the zone on its own first refresh) and not an error of the setup.
    /// </summary>
    private static bool LoggedError(string log) =>
        log.Split('\n').Any(line => line.Contains(" error: ", StringComparison.Ordinal) && !line.Contains("zone event 'notify' failed", StringComparison.Ordinal));
}
