using System;
using System.Security.Cryptography;
using DanePS.Engine.Certificates;
using DanePS.Tests.Fixtures.Pki;
using Xunit;

namespace DanePS.Tests.Certificates;

/// <summary>The native fast path must reject what BouncyCastle rejects: a wrong signature is never "valid".</summary>
[Trait("Category", "Unit")]
public class NativeSignatureKeyTests
{
    private static readonly byte[] Data = System.Text.Encoding.ASCII.GetBytes("TLS 1.3, server CertificateVerify test content");

    private static NativeSignatureKey KeyOf(TestCertificate c) =>
        NativeSignatureKey.From(Org.BouncyCastle.Security.PublicKeyFactory.CreateKey(c.SpkiDer))!;

    [Fact]
    public void Ecdsa_p256_signature_in_der_verifies_and_a_tampered_one_does_not()
    {
        var c = TestPki.CreateLeaf(null, new[] { "a.test" }, TestKeyType.Ecdsa);
        var der = ((ECDsa)c.Key).SignData(Data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        var key = KeyOf(c);
        Assert.True(key.TryVerifyTls13(0x0403, Data, der, out var ok));
        Assert.True(ok);
        var tampered = (byte[])Data.Clone();
        tampered[0] ^= 1;
        Assert.True(key.TryVerifyTls13(0x0403, tampered, der, out var bad));
        Assert.False(bad);
        Assert.False(key.TryVerifyTls13(0x0503, Data, der, out _)); // P-384 scheme with a P-256 key: not ours to judge
    }

    [Fact]
    public void Ecdsa_signature_over_a_hash_as_in_tls12_verifies_and_a_wrong_hash_does_not()
    {
        var c = TestPki.CreateLeaf(null, new[] { "a.test" }, TestKeyType.Ecdsa);
        var hash = SHA256.HashData(Data);
        var der = ((ECDsa)c.Key).SignHash(hash, DSASignatureFormat.Rfc3279DerSequence);
        Assert.True(KeyOf(c).TryVerifyEcdsaHash(hash, der, out var ok));
        Assert.True(ok);
        hash[5] ^= 0x80;
        Assert.True(KeyOf(c).TryVerifyEcdsaHash(hash, der, out var bad));
        Assert.False(bad);
        Assert.False(KeyOf(c).TryVerifyEcdsaHash(hash, new byte[] { 1, 2, 3 }, out _)); // not DER: left to BouncyCastle
    }

    [Fact]
    public void Rsa_pss_signature_verifies_and_another_keys_does_not()
    {
        var c = TestPki.CreateLeaf(null, new[] { "a.test" }, TestKeyType.Rsa);
        var other = TestPki.CreateLeaf(null, new[] { "a.test" }, TestKeyType.Rsa);
        var sig = ((RSA)c.Key).SignData(Data, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        Assert.True(KeyOf(c).TryVerifyTls13(0x0804, Data, sig, out var ok));
        Assert.True(ok);
        Assert.True(KeyOf(other).TryVerifyTls13(0x0804, Data, sig, out var bad));
        Assert.False(bad);
    }

    [Fact]
    public void Certificate_signatures_are_checked_natively_and_bad_ones_fail()
    {
        var root = TestPki.CreateRoot("Native Root", TestKeyType.Rsa);
        var inter = TestPki.CreateIntermediate(root, "Native Inter", TestKeyType.Ecdsa);
        var leaf = TestPki.CreateLeaf(inter, new[] { "a.test" }, TestKeyType.Ecdsa);
        var p = (Func<TestCertificate, ParsedCertificate>)(t => ParsedCertificate.From(t.Certificate));
        Assert.True(p(leaf).IsIssuedBy(p(inter)));
        Assert.True(p(inter).IsIssuedBy(p(root)));
        var impostor = TestPki.CreateRoot("Native Root", TestKeyType.Rsa); // same name, other key
        Assert.False(p(inter).IsIssuedBy(p(impostor)));
    }
}
