using System;
using System.Collections.Generic;
using System.Linq;
using DanePS.Engine.Dnssec;
using Xunit;

namespace DanePS.Tests.Dnssec;

/// <summary>NSEC3 proofs on the RFC 5155 Appendix A zone (salt AABBCCDD, 12 iterations), as in its Appendix B.</summary>
public class DenialProofTests
{
    private static readonly DomainName Zone = DomainName.Parse("example.");

    private static Nsec3Info Nsec3(string owner, string next, byte flags = 0, ushort iterations = 12, params ushort[] types)
    {
        var bitmap = new byte[32];
        var max = 0;
        foreach (var t in types.Append(DnsWire.TypeRrsig))
        {
            bitmap[t / 8] |= (byte)(0x80 >> (t % 8));
            max = Math.Max(max, (t / 8) + 1);
        }

        var rdata = new List<byte> { 1, flags, (byte)(iterations >> 8), (byte)iterations, 4, 0xAA, 0xBB, 0xCC, 0xDD, 20 };
        rdata.AddRange(Base32Hex.Decode(next)!);
        rdata.AddRange(new byte[] { 0, (byte)max });
        rdata.AddRange(bitmap.Take(max));
        return new Nsec3Info(new WireRecord(DomainName.Parse(owner + ".example."), DnsWire.TypeNsec3, 1, 3600, rdata.ToArray()));
    }

    // RFC 5155 B.1: the NXDOMAIN for a.c.x.w.example.: closest encloser x.w.example (b4um…), next closer c.x.w.example
    // covered by 0p9m…, wildcard *.x.w.example covered by 35mt….
    private static List<Nsec3Info> NameErrorProof(byte optOut = 0, ushort iterations = 12) => new()
    {
        Nsec3("0p9mhaveqvm6t7vbl5lop2u3t2rp3tom", "2t7b4g4vsa5smi47k61mv5bv1a22bojr", optOut, iterations, DnsWire.TypeMx, DnsWire.TypeDnskey, DnsWire.TypeNs, DnsWire.TypeSoa),
        Nsec3("b4um86eghhds6nea196smvmlo4ors995", "gjeqe526plbf1g8mklp59enfd789njgi", 0, iterations, DnsWire.TypeMx),
        Nsec3("35mthgpgcu1qg68fab165klnsnk3dpvl", "b4um86eghhds6nea196smvmlo4ors995", 0, iterations, DnsWire.TypeNs, DnsWire.TypeDs),
    };

    private static readonly DomainName Missing = DomainName.Parse("a.c.x.w.example.");

    [Fact]
    public void Nsec3_name_error_proof_of_rfc5155_b1()
    {
        var outcome = DenialProof.Prove(Missing, DnsWire.TypeA, nxDomain: true, Zone, Array.Empty<NsecInfo>(), NameErrorProof());
        Assert.Equal(DenialResult.Proven, outcome.Result);
    }

    [Fact]
    public void Nsec3_chain_with_a_gap_is_unproven()
    {
        var proof = NameErrorProof();
        proof.RemoveAt(0); // nothing covers the next closer name
        var outcome = DenialProof.Prove(Missing, DnsWire.TypeA, nxDomain: true, Zone, Array.Empty<NsecInfo>(), proof);
        Assert.Equal(DenialResult.Unproven, outcome.Result);
        Assert.Contains("NSEC3 gap", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Nsec3_opt_out_span_makes_the_denial_insecure()
    {
        var outcome = DenialProof.Prove(Missing, DnsWire.TypeA, nxDomain: true, Zone, Array.Empty<NsecInfo>(), NameErrorProof(optOut: 1));
        Assert.Equal(DenialResult.OptOut, outcome.Result);

        // RFC 5155 B.3-like: no DS for a name in an opt-out span is an insecure delegation.
        var ds = DenialProof.Prove(DomainName.Parse("c.x.w.example."), DnsWire.TypeDs, nxDomain: false, Zone, Array.Empty<NsecInfo>(), NameErrorProof(optOut: 1));
        Assert.Equal(DenialResult.InsecureDelegation, ds.Result);
    }

    [Fact]
    public void Nsec3_with_more_than_150_iterations_is_insecure()
    {
        var outcome = DenialProof.Prove(Missing, DnsWire.TypeA, nxDomain: true, Zone, Array.Empty<NsecInfo>(), NameErrorProof(iterations: 151));
        Assert.Equal(DenialResult.TooManyIterations, outcome.Result);
        Assert.Contains("151 iterations", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal(150, DenialProof.MaxNsec3Iterations);
    }

    [Fact]
    public void Nsec3_nodata_and_its_contradiction()
    {
        // x.w.example has MX only (b4um…): NODATA for A is proven, for MX contradicted.
        var proof = NameErrorProof();
        var xw = DomainName.Parse("x.w.example.");
        Assert.Equal(DenialResult.Proven, DenialProof.Prove(xw, DnsWire.TypeA, false, Zone, Array.Empty<NsecInfo>(), proof).Result);
        var mx = DenialProof.Prove(xw, DnsWire.TypeMx, false, Zone, Array.Empty<NsecInfo>(), proof);
        Assert.Equal(DenialResult.Unproven, mx.Result);
        Assert.Contains("lists MX", mx.Reason, StringComparison.Ordinal);

        // a.example is a delegation with DS: a denial of DS there is contradicted.
        var a = DenialProof.Prove(DomainName.Parse("a.example."), DnsWire.TypeDs, false, Zone, Array.Empty<NsecInfo>(), proof);
        Assert.Equal(DenialResult.Unproven, a.Result);
    }
}
