using System.Collections.Generic;
using System.Linq;
using DanePS.Engine.Providers;
using DanePS.Engine.Tlsa;

namespace DanePS.Engine.Rollover;

/// <summary>
/// THE INVARIANT of a rollover, in one place: a record that matches what any address serves right now is never
/// removed, whatever the inputs, and neither is a staged record. Removal is decided only here, from a reading of the
/// servers taken after verification passed; an address that could not be read keeps every record (what it serves is
/// unknown, so any record might be the one it needs).
/// </summary>
internal static class RetirementGuard
{
    public static (IReadOnlyList<PublishedTlsaRecord> Remove, IReadOnlyList<string> Kept) Decide(
        IEnumerable<PublishedTlsaRecord> published, IReadOnlyCollection<TlsaRecord> staged, IReadOnlyList<ServedChain> served)
    {
        var remove = new List<PublishedTlsaRecord>();
        var kept = new List<string>();
        var unreadable = served.Where(s => s.Error is not null).ToList();
        foreach (var record in published)
        {
            if (staged.Contains(record.Record))
            {
                continue;
            }

            if (unreadable.Count > 0)
            {
                kept.Add($"{record}: kept, because {unreadable[0].Where} could not be read ({unreadable[0].Error}), so it may still need it");
                continue;
            }

            var servedBy = served.Where(s => s.Matches(record.Record)).ToList();
            if (servedBy.Count > 0)
            {
                kept.Add($"{record}: kept, because {string.Join(", ", servedBy.Select(s => s.Where).Distinct())} presents that key now");
                continue;
            }

            remove.Add(record);
        }

        return (remove, kept);
    }
}
