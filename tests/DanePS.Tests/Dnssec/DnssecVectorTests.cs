using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using DanePS.Engine.Dnssec;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using Xunit;

namespace DanePS.Tests.Dnssec;

/// <summary>Published test vectors: key tags, DS digests, signatures per algorithm, NSEC3 hashes, canonical order.</summary>
public class DnssecVectorTests
{
    private static readonly DateTimeOffset In2010 = DateTimeOffset.FromUnixTimeSeconds(1_283_000_000);

    // RFC 4034 §5.4 (DS SHA-1) and RFC 4509 §2.3 (DS SHA-256): dskey.example.com., key id 60485.
    private const string Rfc4034Key = "AQOeiiR0GOMYkDshWoSKz9XzfwJr1AYtsmx3TGkJaNXVbfi/2pHm822aJ5iI9BMzNXxeYCmZDRD99WYwYqUSdjMmmAphXdvxegXd/M5+X7OrzKBaMbCVdFLUUh6DhweJBjEVv5f2wwjM9XzcnOf+EPbtG9DMBmADjFDc2w/rljwvFw==";

    private static byte[] Rdata(ushort flags, byte algorithm, string base64) =>
        new byte[] { (byte)(flags >> 8), (byte)flags, 3, algorithm }.Concat(Convert.FromBase64String(base64)).ToArray();

    [Fact]
    public void Rfc4034_key_tag_and_ds_digests()
    {
        var key = Rdata(256, 5, Rfc4034Key);
        Assert.Equal(60485, DnssecCrypto.KeyTag(key));
        var owner = DomainName.Parse("dskey.example.com.");
        Assert.Equal("2BB183AF5F22588179A53B0A98631FAD1A292118", Convert.ToHexString(DnssecCrypto.DsDigest(1, owner, key)!));
        Assert.Equal("D4B7D520E7BB5F0F67674A0CCEB1E3E0614B93C4F9E99B8383F6A1E4469DA50A", Convert.ToHexString(DnssecCrypto.DsDigest(2, DomainName.Parse("DSKEY.example.com"), key)!));
        Assert.Null(DnssecCrypto.DsDigest(3, owner, key));
    }

    /// <summary>Checks an RRSIG in presentation form over one RRset with one key, at <paramref name="now"/>.</summary>
    private static RrsetCheck Check(string owner, ushort type, byte[] rdata, ushort typeCovered, byte algorithm, byte labels, uint ttl, uint expiration, uint inception, string signer, string signature, byte[] dnskey, DateTimeOffset now)
    {
        var ownerName = DomainName.Parse(owner);
        var signerName = DomainName.Parse(signer);
        var tag = DnssecCrypto.KeyTag(dnskey);
        var sig = new List<byte> { (byte)(typeCovered >> 8), (byte)typeCovered, algorithm, labels };
        sig.AddRange(BitConverter.GetBytes(ttl).Reverse());
        sig.AddRange(BitConverter.GetBytes(expiration).Reverse());
        sig.AddRange(BitConverter.GetBytes(inception).Reverse());
        sig.Add((byte)(tag >> 8));
        sig.Add((byte)tag);
        sig.AddRange(signerName.ToWire());
        sig.AddRange(Convert.FromBase64String(signature));
        var rrsig = new RrsigInfo(new WireRecord(ownerName, DnsWire.TypeRrsig, 1, ttl, sig.ToArray()));
        var rrset = new List<WireRecord> { new(ownerName, type, 1, ttl, rdata) };
        return RrsetVerifier.Verify(rrset, new[] { rrsig }, new[] { new DnskeyInfo(signerName, dnskey) }, signerName, now);
    }

    [Fact]
    public void Rfc6605_ecdsa_p256_and_p384_examples_verify_and_their_ds_match()
    {
        var p256 = Rdata(257, 13, "GojIhhXUN/u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edbkrSqQpF64cYbcB7wNcP+e+MAnLr+Wi9xMWyQLc8NAA==");
        Assert.Equal(55648, DnssecCrypto.KeyTag(p256));
        Assert.Equal("B4C8C1FE2E7477127B27115656AD6256F424625BF5C1E2770CE6D6E37DF61D17", Convert.ToHexString(DnssecCrypto.DsDigest(2, DomainName.Parse("example.net."), p256)!));
        var a = new byte[] { 192, 0, 2, 1 };
        var ok = Check("www.example.net.", DnsWire.TypeA, a, DnsWire.TypeA, 13, 3, 3600, 1284026679, 1281607479, "example.net.",
            "qx6wLYqmh+l9oCKTN6qIc+bw6ya+KJ8oMz0YP107epXAyGmt+3SNruPFKG7tZoLBLlUzGGus7ZwmwWep666VCw==", p256, In2010);
        Assert.True(ok.Valid, ok.Reason);

        var p384 = Rdata(257, 14, "xKYaNhWdGOfJ+nPrL8/arkwf2EY3MDJ+SErKivBVSum1w/egsXvSADtNJhyem5RCOpgQ6K8X1DRSEkrbYQ+OB+v8/uX45NBwY8rp65F6Glur8I/mlVNgF6W/qTI37m40");
        Assert.Equal(10771, DnssecCrypto.KeyTag(p384));
        Assert.Equal("72D7B62976CE06438E9C0BF319013CF801F09ECC84B8D7E9495F27E305C6A9B0563A9B5F4D288405C3008A946DF983D6", Convert.ToHexString(DnssecCrypto.DsDigest(4, DomainName.Parse("example.net."), p384)!));
        var ok384 = Check("www.example.net.", DnsWire.TypeA, a, DnsWire.TypeA, 14, 3, 3600, 1284027625, 1281608425, "example.net.",
            "/L5hDKIvGDyI1fcARX3z65qrmPsVz73QD1Mr5CEqOiLP95hxQouuroGCeZOvzFaxsT8Glr74hbavRKayJNuydCuzWTSSPdz7wnqXL5bdcJzusdnI0RSMROxxwGipWcJm", p384, In2010);
        Assert.True(ok384.Valid, ok384.Reason);

        // The same signature over other data, and at a time it has expired, does not.
        var other = Check("www.example.net.", DnsWire.TypeA, new byte[] { 192, 0, 2, 2 }, DnsWire.TypeA, 13, 3, 3600, 1284026679, 1281607479, "example.net.",
            "qx6wLYqmh+l9oCKTN6qIc+bw6ya+KJ8oMz0YP107epXAyGmt+3SNruPFKG7tZoLBLlUzGGus7ZwmwWep666VCw==", p256, In2010);
        Assert.False(other.Valid);
        Assert.Contains("signature over different data", other.Reason, StringComparison.Ordinal);
        var late = Check("www.example.net.", DnsWire.TypeA, a, DnsWire.TypeA, 13, 3, 3600, 1284026679, 1281607479, "example.net.",
            "qx6wLYqmh+l9oCKTN6qIc+bw6ya+KJ8oMz0YP107epXAyGmt+3SNruPFKG7tZoLBLlUzGGus7ZwmwWep666VCw==", p256, DateTimeOffset.FromUnixTimeSeconds(1_290_000_000));
        Assert.Contains("signature expired", late.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Rfc8080_ed25519_example_verifies_as_corrected_by_erratum_4935()
    {
        var key = Rdata(257, 15, "l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4=");
        Assert.Equal(3613, DnssecCrypto.KeyTag(key));
        Assert.Equal("3AA5AB37EFCE57F737FC1627013FEE07BDF241BD10F3B1964AB55C78E79A304B", Convert.ToHexString(DnssecCrypto.DsDigest(2, DomainName.Parse("example.com."), key)!));
        var mx = new byte[] { 0, 10 }.Concat(DomainName.Parse("mail.example.com.").ToWire()).ToArray();
        var ok = Check("example.com.", DnsWire.TypeMx, mx, DnsWire.TypeMx, 15, 2, 3600, 1440021600, 1438207200, "example.com.",
            "oL9krJun7xfBOIWcGHi7mag5/hdZrKWw15jPGrHpjQeRAvTdszaPD+QLs3fx8A4M3e23mRZ9VrbpMngwcrqNAg==", key, DateTimeOffset.FromUnixTimeSeconds(1_439_000_000));
        Assert.True(ok.Valid, ok.Reason);
    }

    [Fact]
    public void Rfc5702_rsasha512_example_verifies()
    {
        var key = Rdata(256, 10, "AwEAAdHoNTOW+et86KuJOWRDp1pndvwb6Y83nSVXXyLA3DLroROUkN6X0O6pnWnjJQujX/AyhqFDxj13tOnD9u/1kTg7cV6rklMrZDtJCQ5PCl/D7QNPsgVsMu1J2Q8gpMpztNFLpPBz1bWXjDtaR7ZQBlZ3PFY12ZTSncorffcGmhOL");
        Assert.Equal(3740, DnssecCrypto.KeyTag(key));
        var ok = Check("www.example.net.", DnsWire.TypeA, new byte[] { 192, 0, 2, 91 }, DnsWire.TypeA, 10, 3, 3600, 1893456000, 946684800, "example.net.",
            "tsb4wnjRUDnB1BUi+t6TMTXThjVnG+eCkWqjvvjhzQL1d0YRoOe0CbxrVDYd0xDtsuJRaeUw1ep94PzEWzr0iGYgZBWm/zpq+9fOuagYJRfDqfReKBzMweOLDiNa8iP5g9vMhpuv6OPlvpXwm9Sa9ZXIbNl1MBGk0fthPgxdDLw=", key, DateTimeOffset.UtcNow);
        Assert.True(ok.Valid, ok.Reason);
    }

    [Fact]
    public void Rsasha256_and_ed448_signatures_made_here_verify()
    {
        var data = new byte[] { 1, 2, 3, 4 };
        using var rsa = RSA.Create(2048);
        var p = rsa.ExportParameters(false);
        var rsaKey = new[] { (byte)p.Exponent!.Length }.Concat(p.Exponent).Concat(p.Modulus!).ToArray();
        Assert.True(DnssecCrypto.Verify(8, rsaKey, data, rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)));
        Assert.False(DnssecCrypto.Verify(8, rsaKey, new byte[] { 9 }, rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)));

        var ed448 = new Ed448PrivateKeyParameters(new SecureRandom());
        var signature = new byte[114];
        ed448.Sign(Org.BouncyCastle.Math.EC.Rfc8032.Ed448.Algorithm.Ed448, Array.Empty<byte>(), data, 0, data.Length, signature, 0);
        Assert.True(DnssecCrypto.Verify(16, ed448.GeneratePublicKey().GetEncoded(), data, signature));
        Assert.False(DnssecCrypto.Verify(16, ed448.GeneratePublicKey().GetEncoded(), new byte[] { 9 }, signature));
        Assert.False(DnssecCrypto.Verify(7, rsaKey, data, rsa.SignData(data, HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1)));
    }

    /// <summary>
    /// A zone key verifies every answer of its zone, from many lookups at once: the decoded key it keeps is shared by
    /// concurrent verifications, and each must still get its own answer (right data true, changed data false).
    /// </summary>
    [Theory]
    [InlineData(8)]
    [InlineData(13)]
    [InlineData(14)]
    public void One_cached_key_verifies_correctly_from_many_threads_at_once(byte algorithm)
    {
        byte[] publicKey;
        Func<byte[], byte[]> sign;
        using var rsa = RSA.Create(2048);
        using var ecdsa = ECDsa.Create(algorithm == 14 ? ECCurve.NamedCurves.nistP384 : ECCurve.NamedCurves.nistP256);
        if (algorithm == 8)
        {
            var p = rsa.ExportParameters(false);
            publicKey = new[] { (byte)p.Exponent!.Length }.Concat(p.Exponent).Concat(p.Modulus!).ToArray();
            sign = d => rsa.SignData(d, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        else
        {
            var q = ecdsa.ExportParameters(false).Q;
            publicKey = q.X!.Concat(q.Y!).ToArray();
            sign = d => ecdsa.SignData(d, algorithm == 14 ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA256);
        }

        var messages = Enumerable.Range(0, 64).Select(i => BitConverter.GetBytes(i).Concat(new byte[] { algorithm }).ToArray()).ToArray();
        var signatures = messages.Select(sign).ToArray();
        var holder = new KeyHolder();
        var wrong = 0;
        System.Threading.Tasks.Parallel.For(0, 4000, new System.Threading.Tasks.ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var m = i % messages.Length;
            var tampered = i % 3 == 0;
            var data = tampered ? messages[(m + 1) % messages.Length] : messages[m];
            // VerifyCore: the public-key operation every time, not the process's memory of verified signatures.
            if (DnssecCrypto.VerifyCore(algorithm, publicKey, data, signatures[m], ref holder.Cache) == tampered)
            {
                System.Threading.Interlocked.Increment(ref wrong);
            }
        });

        Assert.Equal(0, wrong);
        Assert.NotNull(holder.Cache);
    }

    /// <summary>
    /// Key tags are 16-bit sums, so two keys of one zone can share one (RFC 4034 §5.3.1, RFC 6840 §5.1): the
    /// validator tries every key with the RRSIG's tag in turn. Two real P-256 keys with the same tag are found by
    /// generating keys until two collide (the birthday bound makes that a few hundred keys).
    /// </summary>
    [Fact]
    public void Keys_whose_tags_collide_are_each_tried()
    {
        var byTag = new Dictionary<ushort, ECDsa>();
        ECDsa? first = null, second = null;
        for (var i = 0; i < 20000 && second is null; i++)
        {
            var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var tag = DnssecCrypto.KeyTag(SignedTree.Dnskey(256, 13, key));
            if (byTag.TryGetValue(tag, out var earlier))
            {
                first = earlier;
                second = key;
            }
            else
            {
                byTag[tag] = key;
            }
        }

        Assert.NotNull(second);
        var zone = SignedTree.Example;
        var firstKey = SignedTree.Dnskey(256, 13, first!);
        var secondKey = SignedTree.Dnskey(256, 13, second!);
        Assert.Equal(DnssecCrypto.KeyTag(firstKey), DnssecCrypto.KeyTag(secondKey));
        Assert.NotEqual(Convert.ToHexString(firstKey), Convert.ToHexString(secondKey));

        using var tree = new SignedTree();
        var rrset = new List<WireRecord> { new(SignedTree.Www, DnsWire.TypeA, 1, 300, new byte[] { 192, 0, 2, 1 }) };
        var signature = new RrsigInfo(tree.Sign(rrset, zone, second!, secondKey));

        // The signing key listed second, behind the other key with its tag: still found.
        var both = RrsetVerifier.Verify(rrset, new[] { signature }, new[] { new DnskeyInfo(zone, firstKey), new DnskeyInfo(zone, secondKey) }, zone, tree.Now);
        Assert.True(both.Valid, both.Reason);

        // Only the other key with that tag: the signature does not verify, and the reason says so.
        var wrong = RrsetVerifier.Verify(rrset, new[] { signature }, new[] { new DnskeyInfo(zone, firstKey) }, zone, tree.Now);
        Assert.False(wrong.Valid);
        Assert.Contains("does not verify", wrong.Reason, StringComparison.Ordinal);
        foreach (var key in byTag.Values.Append(second!))
        {
            key.Dispose();
        }
    }

    /// <summary>A decoded key kept for one DNSKEY is used only for that DNSKEY's bytes: handed over with another key, it verifies nothing for it.</summary>
    [Fact]
    public void A_key_cache_is_used_only_for_the_key_it_was_decoded_from()
    {
        using var a = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var b = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var keyA = a.ExportParameters(false).Q.X!.Concat(a.ExportParameters(false).Q.Y!).ToArray();
        var keyB = b.ExportParameters(false).Q.X!.Concat(b.ExportParameters(false).Q.Y!).ToArray();
        var data = new byte[] { 7, 6, 7, 2 };
        var signedByA = a.SignData(data, HashAlgorithmName.SHA256);
        var signedByB = b.SignData(data, HashAlgorithmName.SHA256);

        object? cache = null;
        Assert.True(DnssecCrypto.VerifyCore(13, keyA, data, signedByA, ref cache));
        var decodedForA = cache;
        Assert.NotNull(decodedForA);

        // A's decoded key in the cache, B's bytes asked: B decides, and the cache still holds A's key.
        Assert.False(DnssecCrypto.VerifyCore(13, keyB, data, signedByA, ref cache));
        Assert.True(DnssecCrypto.VerifyCore(13, keyB, data, signedByB, ref cache));
        Assert.Same(decodedForA, cache);
        Assert.True(DnssecCrypto.VerifyCore(13, keyA, data, signedByA, ref cache));

        // The same bytes under another algorithm number are another key.
        Assert.False(DnssecCrypto.VerifyCore(14, keyA, data, signedByA, ref cache));
    }

    private sealed class KeyHolder
    {
        public object? Cache;
    }

    [Theory]
    [InlineData("example", "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom")]
    [InlineData("a.example", "35mthgpgcu1qg68fab165klnsnk3dpvl")]
    [InlineData("ai.example", "gjeqe526plbf1g8mklp59enfd789njgi")]
    [InlineData("ns1.example", "2t7b4g4vsa5smi47k61mv5bv1a22bojr")]
    [InlineData("*.w.example", "r53bq7cc2uvmubfu5ocmm6pers9tk9en")]
    [InlineData("x.y.w.example", "2vptu5timamqttgl4luu9kg21e0aor3s")]
    [InlineData("XX.EXAMPLE", "t644ebqk9bibcna874givr6joj62mlhv")]
    public void Rfc5155_appendix_a_hashes(string name, string expected)
    {
        var hash = Nsec3Info.Hash(DomainName.Parse(name), new byte[] { 0xAA, 0xBB, 0xCC, 0xDD }, 12);
        Assert.Equal(expected, Base32Hex.Encode(hash).ToLowerInvariant());
        Assert.Equal(hash, Base32Hex.Decode(expected));
    }

    [Fact]
    public void Rfc4034_canonical_order()
    {
        // RFC 4034 §6.1's example, in order.
        var names = new[] { "example.", "a.example.", "yljkjljk.a.example.", "Z.a.example.", "zABC.a.EXAMPLE.", "z.example.", "\\001.z.example.", "*.z.example.", "\\200.z.example." }
            .Select(DomainName.Parse).ToList();
        var shuffled = names.OrderBy(n => n.Key.GetHashCode(StringComparison.Ordinal)).ToList();
        Assert.Equal(names.Select(n => n.ToString()), shuffled.OrderBy(n => n).Select(n => n.ToString()));
    }

    [Fact]
    public void Trust_anchors_parse_ds_and_dnskey_and_reject_garbage()
    {
        var anchors = TrustAnchors.Parse(new[] { ". 3600 IN DS 12345 13 2 ABCD", "example. IN DNSKEY 257 3 13 GojIhhXUN/u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edbkrSqQpF64cYbcB7wNcP+e+MAnLr+Wi9xMWyQLc8NAA==" });
        Assert.Equal(12345, Assert.Single(anchors.Ds).KeyTag);
        Assert.Equal(55648, Assert.Single(anchors.Keys).KeyTag);
        Assert.True(TrustAnchors.Parse(Array.Empty<string>()).BuiltIn);
        Assert.Equal(new[] { 20326, 38696 }, TrustAnchors.Default.Ds.Select(d => (int)d.KeyTag));
        Assert.Throws<FormatException>(() => TrustAnchors.Parse(new[] { "not an anchor" }));

        // One reader for -TrustAnchorPath files and for anchors given one by one: given one by one, a record of
        // another type is a mistake (refused, with its line), where a file (dig's output) may hold RRSIGs to skip.
        var typo = Assert.Throws<FormatException>(() => TrustAnchors.Parse(new[] { "; the root", ". IN DS 20326 8 2 E06D44B8", ". IN DX 38696 8 2 683D2D0A" }));
        Assert.Contains("Line 3", typo.Message, StringComparison.Ordinal); // the third entry given, comments counted
        Assert.Equal(20326, Assert.Single(TrustAnchors.Parse(new[] { ". 2D IN DS 20326 8 2 E06D44B8" }).Ds).KeyTag); // TTL with BIND units
        var digest = Assert.Throws<FormatException>(() => TrustAnchors.Parse(new[] { ". IN DS 20326 8 2 E06D44B8Z" }));
        Assert.Contains("not hexadecimal", digest.Message, StringComparison.Ordinal);
        var file = TrustAnchorFile.Parse(". 3600 IN DNSKEY 257 3 13 ( GojIhhXUN/u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edbkrSqQpF64cYb\n cB7wNcP+e+MAnLr+Wi9xMWyQLc8NAA== ) ; KSK\n. 3600 IN RRSIG DNSKEY 13 0 3600 20300101000000 20200101000000 55648 . AAAA\n");
        Assert.Equal(55648, Assert.Single(TrustAnchors.Parse(file).Keys).KeyTag);
    }

    [Fact]
    public void Wire_codec_decompresses_names_in_rdata_and_checks_pointers()
    {
        // A response to "a.test MX" whose MX exchange is a pointer to the question name.
        var query = DnsWire.BuildQuery(0x1234, DomainName.Parse("a.test."), DnsWire.TypeMx);
        Assert.Equal(0x10, query[3]); // CD
        Assert.Equal(0x80, query[^4]); // DO
        var response = query.Take(12 + 12).ToList(); // header + question (a.test = 8 bytes + type/class)
        response[2] = 0x81;
        response[3] = 0x80;
        response[6] = 0;
        response[7] = 1; // one answer
        response[10] = 0;
        response[11] = 0; // no additional
        response.AddRange(new byte[] { 0xC0, 12, 0, 15, 0, 1, 0, 0, 1, 44, 0, 7, 0, 10, 2, (byte)'m', (byte)'x', 0xC0, 12 });
        var message = DnsWire.Parse(response.ToArray());
        var mx = Assert.Single(message.Answers);
        Assert.Equal("a.test.", mx.Owner.ToString());
        Assert.Equal("mx.a.test.", DomainName.Parse("mx.a.test.").ToString());
        var offset = 2;
        Assert.Equal("mx.a.test.", DnsWire.ReadName(mx.Rdata, ref offset).ToString());

        var forward = response.ToArray();
        forward[^1] = 200; // a pointer forward
        Assert.Throws<FormatException>(() => DnsWire.Parse(forward));
    }
}
