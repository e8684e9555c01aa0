using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using System.Threading.Tasks;

namespace DanePS.Tests.Fixtures.Servers;

/// <summary>What <c>openssl s_client</c> saw: the chain the server sent, and the handshake's protocol and peer signature type.</summary>
public sealed record OpenSslHandshake(IReadOnlyList<X509Certificate2> Chain, string? Protocol, string? PeerSignatureType, string Output)
{
    public IReadOnlyList<string> ChainThumbprints => Chain.Select(c => c.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256)).ToList();
}

/// <summary>OpenSSL's DANE verdict: verified or not, why not, and which record matched at which depth (SSL_get0_dane_authority).</summary>
public sealed record OpenSslDaneVerdict(bool Verified, int VerifyCode, string VerifyError, int? Depth, string? MatchedRecord, string Output)
{
    public override string ToString() => Verified ? $"OpenSSL: verified, {MatchedRecord} at depth {Depth}" : $"OpenSSL: not verified ({VerifyCode}: {VerifyError})";
}

/// <summary>
/// The system's <c>openssl s_client</c>, an independent TLS client that checks the fixtures from outside DanePS.
/// </summary>
public static partial class OpenSslClient
{
    /// <summary>
    /// Connects, optionally upgrades with <paramref name="startTls"/> ("smtp", "imap", "pop3"), and returns the
    /// chain printed by <c>-showcerts</c>. <paramref name="signatureAlgorithms"/> (e.g. "ECDSA+SHA256") restricts
    /// what the client offers, which picks the server's certificate when it has an RSA and an ECDSA one.
    /// </summary>
    public static async Task<OpenSslHandshake> HandshakeAsync(IPEndPoint endpoint, string? startTls = null, string? signatureAlgorithms = null, string serverName = "mx.example.test")
    {
        var arguments = new List<string> { "s_client", "-connect", LoopbackEndpoints.Format(endpoint), "-showcerts", "-servername", serverName };
        if (startTls is not null)
        {
            arguments.AddRange(new[] { "-starttls", startTls });
        }

        if (signatureAlgorithms is not null)
        {
            arguments.AddRange(new[] { "-sigalgs", signatureAlgorithms });
        }

        var result = await ExternalCommand.RunAsync(RequiredProgram.OpenSsl, arguments, TimeSpan.FromSeconds(15));
        var output = result.StandardOutput;
        var chain = new X509Certificate2Collection();
        chain.ImportFromPem(output);
        return new OpenSslHandshake(
            chain.ToList(),
            ProtocolLine().Match(output) is { Success: true } p ? p.Groups[1].Value : null,
            SignatureTypeLine().Match(result.CombinedOutput) is { Success: true } s ? s.Groups[1].Value : null,
            result.CombinedOutput);
    }

    /// <summary>
    /// Asks <c>openssl s_client</c> for its DANE verdict on a server: the TLSA records as
    /// <c>-dane_tlsa_rrdata</c> ("u s m hex"), <paramref name="referenceName"/> as <c>-dane_tlsa_domain</c> and SNI,
    /// <c>-dane_ee_no_namechecks</c> when <paramref name="noDaneEeNameChecks"/> (RFC 7672 §3.1.1), and the
    /// <paramref name="pkixRoots"/> as the only PKIX trust store (none of the system's).
    /// </summary>
    public static async Task<OpenSslDaneVerdict> DaneVerifyAsync(IPEndPoint endpoint, string referenceName, IEnumerable<string> records, bool noDaneEeNameChecks = true, string? pkixRootsFile = null)
    {
        var arguments = new List<string> { "s_client", "-connect", LoopbackEndpoints.Format(endpoint), "-servername", referenceName, "-dane_tlsa_domain", referenceName };
        foreach (var record in records)
        {
            arguments.AddRange(new[] { "-dane_tlsa_rrdata", record });
        }

        if (noDaneEeNameChecks)
        {
            arguments.Add("-dane_ee_no_namechecks");
        }

        arguments.AddRange(new[] { "-no-CApath", "-no-CAstore" });
        if (pkixRootsFile is not null)
        {
            arguments.AddRange(new[] { "-CAfile", pkixRootsFile });
        }
        else
        {
            arguments.Add("-no-CAfile");
        }

        var result = await ExternalCommand.RunAsync(RequiredProgram.OpenSsl, arguments, TimeSpan.FromSeconds(15));
        var output = result.CombinedOutput;
        var code = VerifyReturnCode().Match(output);
        var dane = DaneLine().Match(output);
        return new OpenSslDaneVerdict(
            code.Success && code.Groups[1].Value == "0",
            code.Success ? int.Parse(code.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : -1,
            code.Success ? code.Groups[2].Value : "no verify result",
            dane.Success ? int.Parse(dane.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) : null,
            dane.Success ? dane.Groups[1].Value : null,
            output);
    }

    [GeneratedRegex(@"^Verify return code: (\d+) \((.*)\)", RegexOptions.Multiline)]
    private static partial Regex VerifyReturnCode();

    [GeneratedRegex(@"^DANE TLSA (\d \d \d) .* at depth (\d+)", RegexOptions.Multiline)]
    private static partial Regex DaneLine();

    [GeneratedRegex(@"^New, (TLSv[0-9.]+),", RegexOptions.Multiline)]
    private static partial Regex ProtocolLine();

    [GeneratedRegex(@"^Peer signature type: (\S+)", RegexOptions.Multiline)]
    private static partial Regex SignatureTypeLine();
}
