using System;
using System.Collections.Generic;
using System.Linq;

namespace DanePS.Engine.TlsRpt;

/// <summary>
/// A mail domain's TLS-RPT policy record (RFC 8460 §3): the TXT records at <c>_smtp._tls.&lt;domain&gt;</c>, of which
/// exactly one must start with <c>v=TLSRPTv1</c>; its <c>rua=</c> lists where reports go (mailto: or https: URIs).
/// </summary>
public sealed class TlsRptRecord
{
    private TlsRptRecord(TlsRptRecordStatus status, string? text, IReadOnlyList<string> rua, string? problem)
    {
        Status = status;
        Text = text;
        Rua = rua;
        Problem = problem;
    }

    /// <summary>Valid, NotPublished, Multiple, Malformed or LookupFailed.</summary>
    public TlsRptRecordStatus Status { get; }

    /// <summary>The record (its strings joined), when exactly one starts with v=TLSRPTv1.</summary>
    public string? Text { get; }

    /// <summary>The rua= URIs of a valid record.</summary>
    public IReadOnlyList<string> Rua { get; }

    /// <summary>Why the record is not valid, in words (null when it is).</summary>
    public string? Problem { get; }

    /// <summary>The owner name of a domain's TLS-RPT record.</summary>
    public static string OwnerNameFor(string domain) => "_smtp._tls." + (domain ?? throw new ArgumentNullException(nameof(domain))).TrimEnd('.');

    /// <summary>A lookup that failed.</summary>
    public static TlsRptRecord Failed(string problem) => new(TlsRptRecordStatus.LookupFailed, null, Array.Empty<string>(), problem);

    /// <summary>Judges the TXT records at the owner name, each given as its strings joined.</summary>
    public static TlsRptRecord FromTxt(IEnumerable<string> txtRecords)
    {
        // RFC 8460 §3: records that do not start with the version are discarded; the rest must be exactly one.
        var candidates = (txtRecords ?? throw new ArgumentNullException(nameof(txtRecords)))
            .Where(t => t.StartsWith("v=TLSRPTv1", StringComparison.Ordinal) && (t.Length == 10 || t[10] is ';' or ' ' or '\t'))
            .ToList();
        if (candidates.Count == 0)
        {
            return new TlsRptRecord(TlsRptRecordStatus.NotPublished, null, Array.Empty<string>(), "no TXT record starting with v=TLSRPTv1");
        }

        if (candidates.Count > 1)
        {
            return new TlsRptRecord(TlsRptRecordStatus.Multiple, null, Array.Empty<string>(), $"{candidates.Count} TXT records start with v=TLSRPTv1, and senders treat more than one as none (RFC 8460 §3)");
        }

        var text = candidates[0];
        var fields = text.Split(';').Select(f => f.Trim()).Where(f => f.Length > 0).Skip(1).ToList();
        var rua = fields.Where(f => f.StartsWith("rua=", StringComparison.Ordinal)).ToList();
        if (rua.Count != 1)
        {
            return new TlsRptRecord(TlsRptRecordStatus.Malformed, text, Array.Empty<string>(), rua.Count == 0 ? "the record has no rua= field" : "the record has more than one rua= field");
        }

        var uris = rua[0].Substring(4).Split(',').Select(u => u.Trim()).ToList();
        var bad = uris.FirstOrDefault(u => !(u.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) && u.Length > 7) && !(u.StartsWith("https://", StringComparison.OrdinalIgnoreCase) && u.Length > 8));
        if (bad is not null)
        {
            return new TlsRptRecord(TlsRptRecordStatus.Malformed, text, Array.Empty<string>(), $"the rua= URI '{bad}' is neither mailto: nor https:");
        }

        return new TlsRptRecord(TlsRptRecordStatus.Valid, text, uris, null);
    }
}
