using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Reflection;
using System.Text;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;

namespace DanePS.Engine.Tls;

/// <summary>
/// A BouncyCastle TLS client that records the certificate chain exactly as the server sent it and does not
/// judge it (the DANE verdict is made elsewhere), sends SNI, and can restrict the offer to RSA or ECDSA so a
/// server with both certificates shows each in turn.
/// </summary>
internal sealed class ChainCapturingTlsClient : DefaultTlsClient
{
    private readonly string _serverName;
    private readonly TlsKeyType _keyType;

    public ChainCapturingTlsClient(TlsCrypto crypto, string serverName, TlsKeyType keyType)
        : base(crypto)
    {
        _serverName = serverName;
        _keyType = keyType;
    }

    /// <summary>The certificates exactly as the server sent them, parsed once.</summary>
    public IReadOnlyList<Certificates.ParsedCertificate> Chain { get; private set; } = Array.Empty<Certificates.ParsedCertificate>();

    public string? AlertText { get; private set; }

    public int SelectedCipherSuite { get; private set; } = -1;

    public ProtocolVersion? ServerVersion { get; private set; }

    public bool HandshakeComplete { get; private set; }

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        HandshakeComplete = true;
    }

    public override TlsAuthentication GetAuthentication() => new CapturingAuthentication(this);

    public override void NotifySelectedCipherSuite(int selectedCipherSuite)
    {
        base.NotifySelectedCipherSuite(selectedCipherSuite);
        SelectedCipherSuite = selectedCipherSuite;
    }

    public override void NotifyServerVersion(ProtocolVersion serverVersion)
    {
        base.NotifyServerVersion(serverVersion);
        ServerVersion = serverVersion;
    }

    public override void NotifyAlertReceived(short alertLevel, short alertDescription)
    {
        AlertText ??= $"the server sent the alert '{AlertDescription.GetText(alertDescription)}'";
    }

    public override void NotifyAlertRaised(short alertLevel, short alertDescription, string message, Exception cause)
    {
        AlertText ??= $"the client raised the alert '{AlertDescription.GetText(alertDescription)}'" + (string.IsNullOrEmpty(message) ? string.Empty : $": {message}");
    }

    // TLS 1.0 to 1.3: RFC 7672 accepts any version a server offers; the verdict does not depend on it.
    protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.TLSv13.DownTo(ProtocolVersion.TLSv10);

    protected override IList<ServerName>? GetSniServerNames() =>
        IPAddress.TryParse(_serverName, out _) || string.IsNullOrEmpty(_serverName)
            ? null
            : new List<ServerName> { new(NameType.host_name, Encoding.ASCII.GetBytes(_serverName.TrimEnd('.'))) };

    protected override int[] GetSupportedCipherSuites()
    {
        var suites = base.GetSupportedCipherSuites();
        return _keyType switch
        {
            TlsKeyType.Ecdsa => suites.Where(s => KeyExchange(s) is KeyExchangeAlgorithm.NULL or KeyExchangeAlgorithm.ECDHE_ECDSA).ToArray(),
            TlsKeyType.Rsa => suites.Where(s => KeyExchange(s) is KeyExchangeAlgorithm.NULL or KeyExchangeAlgorithm.ECDHE_RSA or KeyExchangeAlgorithm.DHE_RSA or KeyExchangeAlgorithm.RSA).ToArray(),
            _ => suites,
        };
    }

    protected override IList<SignatureAndHashAlgorithm> GetSupportedSignatureAlgorithms()
    {
        var all = base.GetSupportedSignatureAlgorithms();
        return _keyType switch
        {
            TlsKeyType.Ecdsa => all.Where(a => a.Signature == SignatureAlgorithm.ecdsa).ToList(),
            TlsKeyType.Rsa => all.Where(a => a.Signature is SignatureAlgorithm.rsa or SignatureAlgorithm.rsa_pss_rsae_sha256
                or SignatureAlgorithm.rsa_pss_rsae_sha384 or SignatureAlgorithm.rsa_pss_rsae_sha512).ToList(),
            _ => all,
        };
    }

    // The chain itself may be signed with any algorithm: say so, so a restricted handshake offer does not
    // make the server think we cannot verify its (e.g. RSA-signed ECDSA) chain.
    protected override IList<SignatureAndHashAlgorithm>? GetSupportedSignatureAlgorithmsCert() =>
        _keyType == TlsKeyType.Any ? null : base.GetSupportedSignatureAlgorithms();

    private static int KeyExchange(int suite) => TlsUtilities.GetKeyExchangeAlgorithm(suite);

    public static string CipherSuiteName(int suite) => CipherNames.Value.TryGetValue(suite, out var name) ? name : $"0x{suite:X4}";

    private static readonly Lazy<Dictionary<int, string>> CipherNames = new(() =>
        typeof(CipherSuite).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(int))
            .GroupBy(f => (int)f.GetValue(null)!)
            .ToDictionary(g => g.Key, g => g.First().Name));

    private sealed class CapturingAuthentication : TlsAuthentication
    {
        private readonly ChainCapturingTlsClient _owner;

        public CapturingAuthentication(ChainCapturingTlsClient owner) => _owner = owner;

        public void NotifyServerCertificate(TlsServerCertificate serverCertificate)
        {
            var certificate = serverCertificate.Certificate;
            var chain = new List<Certificates.ParsedCertificate>(certificate.Length);
            for (var i = 0; i < certificate.Length; i++)
            {
                var sent = certificate.GetCertificateAt(i);
                chain.Add(sent is NativeVerifyingTlsCrypto.Certificate parsed ? parsed.Parsed : Certificates.ParsedCertificate.FromDer(sent.GetEncoded()));
            }

            _owner.Chain = chain;
        }

        public TlsCredentials? GetClientCredentials(CertificateRequest certificateRequest) => null;
    }
}
