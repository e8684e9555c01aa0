using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using DanePS.Engine.Dnssec;
using Xunit;

namespace DanePS.Tests.Dnssec;

/// <summary>
/// The process-wide memory of verified signatures: it answers only for the exact bytes that verified (algorithm, key,
/// data, signature), never for a failure, stays bounded, and does not stand in for any RRSIG check but the arithmetic.
/// </summary>
public class VerifiedSignaturesTests
{
    [Fact]
    public void Only_the_exact_key_data_and_signature_that_verified_are_remembered()
    {
        using var a = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var b = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var keyA = PublicKey(a);
        var keyB = PublicKey(b);
        var data = Guid.NewGuid().ToByteArray();
        var signature = a.SignData(data, HashAlgorithmName.SHA256);
        var other = Guid.NewGuid().ToByteArray();

        Assert.True(DnssecCrypto.Verify(13, keyA, data, signature));
        Assert.True(VerifiedSignatures.Shared.Contains(VerifiedSignatures.Of(13, keyA, data, signature)));

        // Another key, other data, another algorithm number: each is a different fingerprint, verified for real.
        Assert.False(DnssecCrypto.Verify(13, keyB, data, signature));
        Assert.False(DnssecCrypto.Verify(13, keyA, other, signature));
        Assert.False(DnssecCrypto.Verify(14, keyA, data, signature));
        Assert.False(VerifiedSignatures.Shared.Contains(VerifiedSignatures.Of(13, keyB, data, signature)));
        Assert.False(VerifiedSignatures.Shared.Contains(VerifiedSignatures.Of(13, keyA, other, signature)));

        // Asked again, the remembered answer.
        var hits = VerifiedSignatures.Shared.Hits;
        Assert.True(DnssecCrypto.Verify(13, keyA, data, signature));
        Assert.True(VerifiedSignatures.Shared.Hits > hits);
    }

    [Fact]
    public void It_keeps_at_most_two_generations()
    {
        var memory = new VerifiedSignatures();
        var fingerprints = Enumerable.Range(0, (3 * VerifiedSignatures.Generation) + 10).Select(i => VerifiedSignatures.Of(13, BitConverter.GetBytes(i), new byte[] { 1 }, new byte[] { 2 })).ToList();
        foreach (var f in fingerprints)
        {
            memory.Add(f);
        }

        Assert.InRange(memory.Count, VerifiedSignatures.Generation, 2 * VerifiedSignatures.Generation);
        Assert.True(memory.Contains(fingerprints[^1]));
        Assert.False(memory.Contains(fingerprints[0]));
        memory.Clear();
        Assert.Equal(0, memory.Count);
    }

    /// <summary>
    /// Adds from many threads, across generation swaps, never make the memory answer for a fingerprint that was not
    /// added: races may only forget.
    /// </summary>
    [Fact]
    public void Concurrent_adds_across_generations_never_answer_for_what_was_not_added()
    {
        var memory = new VerifiedSignatures();
        var added = Enumerable.Range(0, 3 * VerifiedSignatures.Generation).Select(i => VerifiedSignatures.Of(13, BitConverter.GetBytes(i), new byte[] { 1 }, new byte[] { 2 })).ToArray();
        var never = Enumerable.Range(0, 2000).Select(i => VerifiedSignatures.Of(13, BitConverter.GetBytes(i), new byte[] { 3 }, new byte[] { 2 })).ToArray();
        var falseHits = 0;
        System.Threading.Tasks.Parallel.Invoke(
            () => System.Threading.Tasks.Parallel.ForEach(added, f => memory.Add(f)),
            () =>
            {
                for (var round = 0; round < 20; round++)
                {
                    foreach (var f in never)
                    {
                        if (memory.Contains(f))
                        {
                            System.Threading.Interlocked.Increment(ref falseHits);
                        }
                    }
                }
            });

        Assert.Equal(0, falseHits);
        Assert.InRange(memory.Count, 1, 2 * VerifiedSignatures.Generation + 64);
    }

    /// <summary>
    /// A signature that verified while it was valid is still "expired" once its expiration has passed: the memory
    /// stands in for the public-key operation only, and the validity period is checked on every answer.
    /// </summary>
    [Fact]
    public void A_remembered_signature_is_still_checked_for_its_validity_period()
    {
        using var tree = new SignedTree();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var dnskey = SignedTree.Dnskey(256, 13, key);
        var rrset = new List<WireRecord> { new(SignedTree.Www, DnsWire.TypeA, 1, 300, Guid.NewGuid().ToByteArray()[..4]) };
        var rrsig = new RrsigInfo(tree.Sign(rrset, SignedTree.Example, key, dnskey));
        var keys = new[] { new DnskeyInfo(SignedTree.Example, dnskey) };

        var now = RrsetVerifier.Verify(rrset, new[] { rrsig }, keys, SignedTree.Example, tree.Now);
        Assert.True(now.Valid, now.Reason);

        var later = RrsetVerifier.Verify(rrset, new[] { rrsig }, keys, SignedTree.Example, tree.Expiration.AddDays(1));
        Assert.False(later.Valid);
        Assert.Contains("signature expired", later.Reason, StringComparison.Ordinal);
    }

    private static byte[] PublicKey(ECDsa key)
    {
        var q = key.ExportParameters(false).Q;
        return q.X!.Concat(q.Y!).ToArray();
    }
}
