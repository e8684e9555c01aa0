using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DanePS.Engine.Certificates;
using DanePS.Engine.Tlsa;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;

namespace DanePS.Engine.Matching;

/// <summary>
/// Decides whether a certificate chain, exactly as a server sent it, is authenticated by a TLSA RRset
/// (RFC 6698, RFC 7671, and RFC 7672 for SMTP).
/// </summary>
public static class DaneMatcher
{
    /// <summary>Matches the chain against the records.</summary>
    /// <exception cref="ArgumentException">The chain is empty.</exception>
    public static DaneMatchResult Match(DaneMatchRequest request) => Match(request, null);

    /// <summary>Matches with the chain already parsed (it must be <see cref="DaneMatchRequest.PresentedChain"/>).</summary>
    internal static DaneMatchResult Match(DaneMatchRequest request, IReadOnlyList<ParsedCertificate>? parsedChain)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        if ((parsedChain?.Count ?? request.PresentedChain.Count) == 0)
        {
            throw new ArgumentException("The presented chain is empty: there is no certificate to authenticate.", nameof(request));
        }

        var context = new MatchContext(request, parsedChain);
        var records = request.Records;
        var evaluations = new TlsaRecordEvaluation?[records.Count];

        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            if (record.Condition == TlsaRecordCondition.Malformed)
            {
                evaluations[i] = new(record, TlsaRecordOutcome.Malformed, null, record.Problem!);
            }
            else if (!record.IsUsable)
            {
                evaluations[i] = new(record, TlsaRecordOutcome.Unusable, null, record.Problem!);
            }
            else if (request.Profile.Excludes(record.Usage))
            {
                evaluations[i] = new(record, TlsaRecordOutcome.UnusableForProfile, null, DaneProfileRules.Exclusion(record.Usage) + ".");
            }
        }

        ApplyDigestAgility(records, evaluations);

        var candidates = Enumerable.Range(0, records.Count).Where(i => evaluations[i] is null).ToList();
        if (candidates.Count == 0)
        {
            return new DaneMatchResult(DaneMatchOutcome.NoUsableRecords, null, evaluations.Select(e => e!).ToList(), context.Chain.Count, null) { ReferenceNames = ReadableList.Of(request.ReferenceNames) };
        }

        foreach (var i in candidates)
        {
            var record = records[i];
            if (context.Leaf.PublicKeyProblem is { } keyProblem)
            {
                evaluations[i] = new(record, TlsaRecordOutcome.UnreadableLeafKey, null,
                    $"{record.ToShortString()} cannot authenticate this leaf: {keyProblem}; no client can complete a TLS handshake with it");
                continue;
            }

            evaluations[i] = record.Usage switch
            {
                TlsaUsage.DaneEe => EvaluateDaneEe(record, context),
                TlsaUsage.DaneTa => EvaluateDaneTa(record, context),
                _ => EvaluatePkix(record, context),
            };
        }

        var all = evaluations.Select(e => e!).ToList();

        // Prefer the most specific match: DANE-EE, then DANE-TA, then PKIX-EE, then PKIX-TA; RRset order breaks ties.
        var match = all.Where(e => e.Outcome == TlsaRecordOutcome.Matched)
            .OrderByDescending(e => (int)e.GetRecord().Usage)
            .FirstOrDefault();
        return new DaneMatchResult(
            match is null ? DaneMatchOutcome.NotAuthenticated : DaneMatchOutcome.Authenticated,
            match,
            all,
            context.Chain.Count,
            context.NameCheckDone ? context.NameMatched : null) { ReferenceNames = ReadableList.Of(request.ReferenceNames) };
    }

    /// <summary>
    /// Digest algorithm agility (RFC 7671 §9): per usage and selector, only the strongest digest present counts.
    /// Full(0) is not a digest and is never superseded, as in OpenSSL's dane_match (and so Postfix).
    /// </summary>
    private static void ApplyDigestAgility(IReadOnlyList<TlsaRecord> records, TlsaRecordEvaluation?[] evaluations)
    {
        var groups = Enumerable.Range(0, records.Count)
            .Where(i => evaluations[i] is null && records[i].MatchingType != TlsaMatchingType.Full)
            .GroupBy(i => (records[i].Usage, records[i].Selector));
        foreach (var group in groups)
        {
            var strongest = group.Max(i => Strength(records[i].MatchingType));
            foreach (var i in group.Where(i => Strength(records[i].MatchingType) < strongest))
            {
                var record = records[i];
                var stronger = group.First(j => Strength(records[j].MatchingType) == strongest);
                evaluations[i] = new(record, TlsaRecordOutcome.SupersededByStrongerDigest, null,
                    string.Format(CultureInfo.InvariantCulture, "{0} {1} records with {2} are published too; the weaker {3} is ignored (RFC 7671 §9).",
                        TlsaRecord.UsageMnemonic(record.Usage), TlsaRecord.SelectorMnemonic(record.Selector),
                        TlsaRecord.MatchingMnemonic(records[stronger].MatchingType), TlsaRecord.MatchingMnemonic(record.MatchingType)));
            }
        }
    }

    // OpenSSL's and Postfix's order among digests: SHA2-256(1) < SHA2-512(2).
    private static int Strength(TlsaMatchingType type) => type == TlsaMatchingType.Sha512 ? 2 : 1;

    private static TlsaRecordEvaluation EvaluateDaneEe(TlsaRecord record, MatchContext context)
    {
        if (context.Leaf.Matches(record))
        {
            // DANE-EE: no name check and no validity check (RFC 7671 §5.1, RFC 7672 §3.1.1).
            return new(record, TlsaRecordOutcome.Matched, 0, $"{record.ToShortString()} matched EE {What(record)} at depth 0");
        }

        var elsewhere = context.Presented.Skip(1).Select((c, i) => (c, i + 1)).FirstOrDefault(x => x.c.Matches(record));
        var hint = elsewhere.c is not null
            ? $"; it matches the certificate the server sent at position {elsewhere.Item2} ({elsewhere.c.Subject}), but DANE-EE applies to the leaf only"
            : string.Empty;
        return new(record, TlsaRecordOutcome.NoMatch, null, $"{record.ToShortString()} does not match the leaf's {What(record)}{hint}");
    }

    private static TlsaRecordEvaluation EvaluateDaneTa(TlsaRecord record, MatchContext context)
    {
        // The chain is built from the certificates sent and those published in full in DNS (2 0 0), so a trust
        // anchor from DNS is found wherever it issued a certificate of the chain, as OpenSSL finds it.
        var chain = context.Chain;
        int? depth = null;
        for (var d = 1; d < chain.Count && depth is null; d++)
        {
            if (chain[d].Matches(record))
            {
                depth = d;
            }
        }

        // A bare public key in full (2 1 0) that signed the top certificate: OpenSSL's SSL_get0_dane_authority
        // reports the depth of that top certificate, the last one it validated, and so does DanePS.
        var bareKey = false;
        if (depth is null && record.Selector == TlsaSelector.Spki && record.MatchingType == TlsaMatchingType.Full && SignedBy(chain[chain.Count - 1], record))
        {
            depth = chain.Count - 1;
            bareKey = true;
        }

        if (depth is null)
        {
            var top = chain[chain.Count - 1];
            var notSent = !top.IsSelfIssued && !context.Presented.Any(c => c.Matches(record)); // Presented[0] is the leaf
            return new(record, TlsaRecordOutcome.NoMatch, null, $"{record.ToShortString()} {DaneTaMissReason(record, context)}", notSent);
        }

        var anchor = chain[depth.Value];
        var fromDns = !bareKey && !context.Presented.Any(c => c.SameAs(anchor));
        var verified = chain.Take(depth.Value + 1).ToList();
        if (ChainRules.Check(verified) is { } broken)
        {
            return new(record, TlsaRecordOutcome.InvalidChain, depth, $"{record.ToShortString()} matched the TA at depth {depth}, but {broken}");
        }

        // Dates: every certificate below the trust anchor; a self-issued anchor's own too, and the top certificate
        // a bare key signed (as OpenSSL's internal_verify checks them).
        var dated = bareKey || anchor.IsSelfIssued ? depth.Value + 1 : depth.Value;
        var problem = ValidityProblem(chain, dated, context.Now);
        if (problem is not null)
        {
            return new(record, TlsaRecordOutcome.CertificateExpired, depth, $"{record.ToShortString()} matched the TA at depth {depth}, but {problem}");
        }

        if (!context.NameMatched)
        {
            return new(record, TlsaRecordOutcome.NameMismatch, depth, $"{record.ToShortString()} matched the TA at depth {depth}, but {context.NameProblem}");
        }

        var reason = bareKey
            ? $"{record.ToShortString()} matched TA public key (published in DNS) that signed the certificate at depth {depth}"
            : $"{record.ToShortString()} matched TA {What(record)} at depth {depth}{(fromDns ? " (published in DNS, not sent by the server)" : string.Empty)}";
        return new(record, TlsaRecordOutcome.Matched, depth, reason);
    }

    private static string DaneTaMissReason(TlsaRecord record, MatchContext context)
    {
        if (context.Leaf.Matches(record))
        {
            return $"matches the leaf itself; DANE-TA names an issuer (use usage 3 for the leaf's own {What(record)})";
        }

        var stray = context.Presented.Skip(1).FirstOrDefault(c => c.Matches(record) && !context.Chain.Any(x => x.SameAs(c)));
        if (stray is not null)
        {
            return $"matches a certificate the server sent ({stray.Subject}), but that certificate did not issue the leaf's chain";
        }

        var top = context.Chain[context.Chain.Count - 1];
        if (!top.IsSelfIssued)
        {
            return $"matches no issuer in the chain; the server does not send the certificate of '{top.Issuer}', and a DANE-TA server must send its trust anchor (RFC 7671 §5.2.2)";
        }

        return "matches no issuer certificate or key in the presented chain";
    }

    /// <summary>True when the bare public key a record publishes in full signed <paramref name="certificate"/>.</summary>
    private static bool SignedBy(ParsedCertificate certificate, TlsaRecord record)
    {
        try
        {
            return certificate.IsSignedBy(PublicKeyFactory.CreateKey(record.DataNoCopy));
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidCastException or System.IO.IOException or SecurityUtilityException or InvalidOperationException or CryptoException)
        {
            return false;
        }
    }

    /// <summary>
    /// Certificates published in full in DNS under a TA usage (0 0 0, 2 0 0): OpenSSL adds them to the
    /// certificates it builds chains from, so they supply a trust anchor or a missing intermediate.
    /// </summary>
    private static List<ParsedCertificate> CertificatesFromDns(DaneMatchRequest request)
    {
        var certificates = new List<ParsedCertificate>();
        foreach (var record in request.Records)
        {
            var usable = record.IsUsableUnder(request.Profile) && record.Usage is TlsaUsage.DaneTa or TlsaUsage.PkixTa
                && record.Selector == TlsaSelector.Cert && record.MatchingType == TlsaMatchingType.Full;
            if (!usable)
            {
                continue;
            }

            try
            {
                certificates.Add(ParsedCertificate.FromDer(record.DataNoCopy));
            }
            catch (CertificateFormatException)
            {
                // Not a certificate: the record simply matches nothing.
            }
        }

        return certificates;
    }

    private static TlsaRecordEvaluation EvaluatePkix(TlsaRecord record, MatchContext context)
    {
        var ee = record.Usage == TlsaUsage.PkixEe;
        var chain = context.PkixChain;
        var anchored = context.PkixAnchored;
        int? depth = null;
        if (ee)
        {
            depth = context.Leaf.Matches(record) ? 0 : null;
        }
        else
        {
            for (var d = 1; d < chain.Count && depth is null; d++)
            {
                if (chain[d].Matches(record))
                {
                    depth = d;
                }
            }
        }

        if (depth is null)
        {
            return new(record, TlsaRecordOutcome.NoMatch, null, ee
                ? $"{record.ToShortString()} does not match the leaf's {What(record)}"
                : $"{record.ToShortString()} matches no CA certificate in the PKIX chain");
        }

        if (!anchored)
        {
            return new(record, TlsaRecordOutcome.NoPkixChain, depth, $"{record.ToShortString()} matched at depth {depth}, but the chain does not lead to a trusted root ({context.PkixProblem})");
        }

        if (ChainRules.Check(chain) is { } broken)
        {
            return new(record, TlsaRecordOutcome.InvalidChain, depth, $"{record.ToShortString()} matched at depth {depth}, but {broken}");
        }

        var problem = ValidityProblem(chain, chain.Count - 1, context.Now);
        if (problem is not null)
        {
            return new(record, TlsaRecordOutcome.CertificateExpired, depth, $"{record.ToShortString()} matched at depth {depth}, but {problem}");
        }

        if (!context.NameMatched)
        {
            return new(record, TlsaRecordOutcome.NameMismatch, depth, $"{record.ToShortString()} matched at depth {depth}, but {context.NameProblem}");
        }

        return new(record, TlsaRecordOutcome.Matched, depth, $"{record.ToShortString()} matched {(ee ? "EE" : "TA")} {What(record)} at depth {depth} (PKIX chain to a trusted root)");
    }

    private static string? ValidityProblem(List<ParsedCertificate> chain, int belowDepth, DateTime now)
    {
        for (var d = 0; d < Math.Min(belowDepth, chain.Count); d++)
        {
            var c = chain[d];
            if (now > c.NotAfterUtc)
            {
                return string.Format(CultureInfo.InvariantCulture, "the certificate at depth {0} ({1}) expired on {2:u}", d, c.Subject, c.NotAfterUtc);
            }

            if (now < c.NotBeforeUtc)
            {
                return string.Format(CultureInfo.InvariantCulture, "the certificate at depth {0} ({1}) is not valid before {2:u}", d, c.Subject, c.NotBeforeUtc);
            }
        }

        return null;
    }

    private static string What(TlsaRecord record) => record.Selector == TlsaSelector.Cert ? "certificate" : "public key";

    /// <summary>Per-request state computed once and only when a record needs it.</summary>
    private sealed class MatchContext
    {
        private readonly DaneMatchRequest _request;
        private bool? _nameMatched;
        private List<ParsedCertificate>? _pkixChain;

        public MatchContext(DaneMatchRequest request, IReadOnlyList<ParsedCertificate>? parsedChain)
        {
            _request = request;
            Presented = parsedChain?.ToList() ?? request.PresentedChain.Select(ParsedCertificate.From).ToList();
            Leaf = Presented[0];
            Now = (request.ValidationTime ?? DateTimeOffset.UtcNow).UtcDateTime;
            FromDns = CertificatesFromDns(request);
            Chain = CertificateChainBuilder.Build(Leaf, FromDns.Concat(Presented.Skip(1)).ToList(), Now);
        }

        public List<ParsedCertificate> Presented { get; }

        public ParsedCertificate Leaf { get; }

        /// <summary>The DANE-TA chain: built from the certificates in DNS first, then those sent.</summary>
        public List<ParsedCertificate> Chain { get; }

        public List<ParsedCertificate> FromDns { get; }

        public DateTime Now { get; }

        public bool NameCheckDone => _nameMatched is not null;

        public bool NameMatched => _nameMatched ??= _request.ReferenceNames.Count > 0 && ReferenceNameMatcher.Matches(Leaf, _request.ReferenceNames);

        public string NameProblem => _request.ReferenceNames.Count == 0
            ? "no reference name was given to check the leaf against"
            : $"the leaf's names ({string.Join(", ", ReferenceNameMatcher.PresentedNames(Leaf))}) match none of the reference names ({string.Join(", ", _request.ReferenceNames)})";

        public List<ParsedCertificate> PkixChain => _pkixChain ??= BuildPkixChain();

        public bool PkixAnchored { get; private set; }

        public string PkixProblem { get; private set; } = string.Empty;

        private List<ParsedCertificate> BuildPkixChain()
        {
            var anchors = _request.PkixRoots.Select(ParsedCertificate.From).ToList();
            if (_request.UseSystemTrustStore)
            {
                anchors.AddRange(SystemTrustStore.Get());
            }

            // Trusted first (OpenSSL's default), then certificates from DNS that may supply a missing intermediate.
            var pool = anchors.Concat(FromDns).Concat(Presented.Skip(1)).ToList();
            var chain = CertificateChainBuilder.Build(Leaf, pool, Now);
            var top = chain[chain.Count - 1];
            PkixAnchored = anchors.Any(a => a.SameAs(top)) || anchors.Any(a => a.SubjectName.Equivalent(top.SubjectName) && a.SpkiDer.SequenceEqual(top.SpkiDer));
            PkixProblem = PkixAnchored ? string.Empty : $"no trusted root for '{top.Issuer}' among {anchors.Count} roots";
            return chain;
        }
    }
}
