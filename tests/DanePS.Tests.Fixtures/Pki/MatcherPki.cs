using System;

namespace DanePS.Tests.Fixtures.Pki;

/// <summary>A small PKI shared by the matcher tests: RSA root, ECDSA intermediate, ECDSA and RSA leaves.</summary>
public sealed class MatcherPki
{
    public MatcherPki()
    {
        Root = TestPki.CreateRoot("DanePS Test Root", TestKeyType.Rsa);
        Intermediate = TestPki.CreateIntermediate(Root, "DanePS Test Intermediate", TestKeyType.Ecdsa);
        Leaf = TestPki.CreateLeaf(Intermediate, new[] { "mx.example.test", "*.mail.example.test" }, TestKeyType.Ecdsa);
        RsaLeaf = TestPki.CreateLeaf(Intermediate, new[] { "mx.example.test" }, TestKeyType.Rsa);
        ExpiredLeaf = TestPki.CreateLeaf(Intermediate, new[] { "mx.example.test" }, TestKeyType.Ecdsa, DateTimeOffset.UtcNow.AddDays(-60), DateTimeOffset.UtcNow.AddDays(-1));
        CnOnlyLeaf = TestPki.CreateLeaf(Intermediate, Array.Empty<string>(), TestKeyType.Ecdsa, commonName: "mx.example.test");
        Unrelated = TestPki.CreateRoot("Unrelated Root", TestKeyType.Ecdsa);
    }

    public TestCertificate Root { get; }
    public TestCertificate Intermediate { get; }
    public TestCertificate Leaf { get; }
    public TestCertificate RsaLeaf { get; }
    public TestCertificate ExpiredLeaf { get; }
    public TestCertificate CnOnlyLeaf { get; }
    public TestCertificate Unrelated { get; }
}
