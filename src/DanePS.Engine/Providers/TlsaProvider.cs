using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DanePS.Engine.Reporting;
using DanePS.Engine.Tlsa;

namespace DanePS.Engine.Providers;

/// <summary>
/// Where TLSA records are published: list the records at a name, add one, remove one. The base class makes every
/// change idempotent (adding a record that is there, or removing one that is not, changes nothing and says so);
/// a provider implements the three raw operations. Adding a provider is one class.
/// </summary>
public abstract class TlsaProvider : IDisposable
{
    /// <summary>What the provider writes to, for messages and -WhatIf, e.g. "Cloudflare zone example.com". Never a secret.</summary>
    public abstract string Description { get; }

    /// <summary>
    /// Where each request is narrated (verbose), e.g. the reporter of the cmdlet that uses the provider now. Providers
    /// never pass a secret (token, TSIG secret, authorization header) to it.
    /// </summary>
    public IReporter? Reporter { get; set; }

    /// <summary>Passes one line of narration to <see cref="Reporter"/>.</summary>
    protected void Narrate(string message) => Reporter?.Verbose(message);

    /// <summary>The TLSA records published at <paramref name="ownerName"/> (e.g. "_25._tcp.mail.example.com").</summary>
    public async Task<IReadOnlyList<PublishedTlsaRecord>> GetAsync(string ownerName, CancellationToken cancellationToken) =>
        await ListCoreAsync(NormalizeOwner(ownerName), cancellationToken).ConfigureAwait(false);

    /// <summary>Adds <paramref name="record"/> at <paramref name="ownerName"/> unless an identical record is already there.</summary>
    public async Task<TlsaChange> AddAsync(string ownerName, TlsaRecord record, int ttl, CancellationToken cancellationToken)
    {
        if (record is null)
        {
            throw new ArgumentNullException(nameof(record));
        }

        var owner = NormalizeOwner(ownerName);
        var present = await ListCoreAsync(owner, cancellationToken).ConfigureAwait(false);
        if (present.Any(p => p.Record.Equals(record)))
        {
            return new TlsaChange(owner, record, TlsaChangeOutcome.AlreadyPresent, Description);
        }

        var added = await AddCoreAsync(owner, record, ttl, cancellationToken).ConfigureAwait(false);
        return new TlsaChange(owner, record, added ? TlsaChangeOutcome.Added : TlsaChangeOutcome.AlreadyPresent, Description);
    }

    /// <summary>Removes every copy of <paramref name="record"/> at <paramref name="ownerName"/>; a record that is absent is reported as such.</summary>
    public async Task<TlsaChange> RemoveAsync(string ownerName, TlsaRecord record, CancellationToken cancellationToken)
    {
        if (record is null)
        {
            throw new ArgumentNullException(nameof(record));
        }

        var owner = NormalizeOwner(ownerName);
        var present = (await ListCoreAsync(owner, cancellationToken).ConfigureAwait(false)).Where(p => p.Record.Equals(record)).ToList();
        if (present.Count == 0)
        {
            return new TlsaChange(owner, record, TlsaChangeOutcome.AlreadyAbsent, Description);
        }

        var removed = false;
        foreach (var published in present)
        {
            removed |= await RemoveCoreAsync(published, cancellationToken).ConfigureAwait(false);
        }

        return new TlsaChange(owner, record, removed ? TlsaChangeOutcome.Removed : TlsaChangeOutcome.AlreadyAbsent, Description);
    }

    /// <summary>Lists the TLSA records at an owner name (lower case, with the trailing dot).</summary>
    protected abstract Task<IReadOnlyList<PublishedTlsaRecord>> ListCoreAsync(string ownerName, CancellationToken cancellationToken);

    /// <summary>Adds one record; returns false when the provider says it already exists (a race with another writer).</summary>
    protected abstract Task<bool> AddCoreAsync(string ownerName, TlsaRecord record, int ttl, CancellationToken cancellationToken);

    /// <summary>Removes one listed record; returns false when the provider says it was already gone.</summary>
    protected abstract Task<bool> RemoveCoreAsync(PublishedTlsaRecord record, CancellationToken cancellationToken);

    /// <summary>Owner names are compared in lower case with the trailing dot: "_25._tcp.mail.example.com.".</summary>
    public static string NormalizeOwner(string ownerName)
    {
        if (string.IsNullOrWhiteSpace(ownerName))
        {
            throw new ArgumentException("The owner name is empty.", nameof(ownerName));
        }

#pragma warning disable CA1308 // DNS names are compared in lower case.
        return ownerName.Trim().TrimEnd('.').ToLowerInvariant() + ".";
#pragma warning restore CA1308
    }

    /// <inheritdoc />
    public override string ToString() => Description;

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the provider's connections.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }
}
