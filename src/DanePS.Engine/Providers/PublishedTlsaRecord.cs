using System;
using DanePS.Engine.Tlsa;

namespace DanePS.Engine.Providers;

/// <summary>A TLSA record as a provider holds it: owner name, data, TTL and the provider's own id for it.</summary>
public sealed class PublishedTlsaRecord
{
    /// <summary>Creates a listed record.</summary>
    public PublishedTlsaRecord(string ownerName, TlsaRecord record, int? ttl, string? providerId)
    {
        OwnerName = ownerName ?? throw new ArgumentNullException(nameof(ownerName));
        Record = record ?? throw new ArgumentNullException(nameof(record));
        Ttl = ttl;
        ProviderId = providerId;
    }

    /// <summary>Owner name with the trailing dot, e.g. "_25._tcp.mail.example.com.".</summary>
    public string OwnerName { get; }

    /// <summary>The record data.</summary>
    public TlsaRecord Record { get; }

    /// <summary>TTL in seconds, when the provider says (Cloudflare's "automatic" is 1).</summary>
    public int? Ttl { get; }

    /// <summary>The provider's id of the record (Cloudflare's record id), or null.</summary>
    public string? ProviderId { get; }

    /// <inheritdoc />
    public override string ToString() => $"{OwnerName} TLSA {Record}";
}
