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
        var openssl = RequiredProgram.OpenSsl.Ensure();
        var arguments = new List<string> { "s_client", "-connect", LoopbackEndpoints.Format(endpoint), "-showcerts", "-servername", serverName };
        if (startTls is not null)
        {
            arguments.AddRange(new[] { "-starttls", startTls });
        }

        if (signatureAlgorithms is not null)
        {
            arguments.AddRange(new[] { "-sigalgs", signatureAlgorithms });
        }

        var result = await ExternalCommand.RunAsync(openssl, arguments, TimeSpan.FromSeconds(15), standardInput: string.Empty);
        var output = result.StandardOutput;
        var chain = new X509Certificate2Collection();
        chain.ImportFromPem(output);
        return new OpenSslHandshake(
            chain.ToList(),
            ProtocolLine().Match(output) is { Success: true } p ? p.Groups[1].Value : null,
            SignatureTypeLine().Match(result.CombinedOutput) is { Success: true } s ? s.Groups[1].Value : null,
            result.CombinedOutput);
    }

    [GeneratedRegex(@"^New, (TLSv[0-9.]+),", RegexOptions.Multiline)]
    private static partial Regex ProtocolLine();

    [GeneratedRegex(@"^Peer signature type: (\S+)", RegexOptions.Multiline)]
    private static partial Regex SignatureTypeLine();
}
