using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using DanePS.Engine.Checking;
using DanePS.Engine.Dns;
using DanePS.Engine.Providers;
using DanePS.Engine.Reporting;
using DanePS.Engine.Tlsa;
using DnsClient;

namespace DanePS.Engine.Rollover;

/// <summary>
/// A TLSA rollover as one safe, resumable operation: publish the staged key's records beside the current ones, wait
/// until every authoritative server serves them and caches have expired, run the reload step, verify that every
/// address passes DANE with the staged key, and retire only records that match neither the served nor the staged
/// key. Each run decides what to do from what the provider, DNS and the servers show now (plus, for the wait, the
/// time every server first served the records); a run with nothing to do changes nothing.
/// </summary>
public sealed class TlsaRollover
{
    private readonly TlsaRolloverOptions _options;
    private readonly TlsaProvider _provider;
    private readonly byte[] _stagedSpki;

    /// <summary>Creates a rollover.</summary>
    public TlsaRollover(TlsaRolloverOptions options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _provider = options.Provider ?? throw new ArgumentException("A rollover needs a provider.", nameof(options));
        _stagedSpki = options.StagedSpki ?? throw new ArgumentException("A rollover needs the staged key.", nameof(options));
        if (options.Targets.Count == 0)
        {
            throw new ArgumentException("A rollover needs at least one host and port.", nameof(options));
        }
    }

    private IReporter Reporter => _options.Reporter ?? NullReporter.Instance;

    /// <summary>Runs the rollover, reporting each step to <paramref name="sink"/>.</summary>
    /// <exception cref="RolloverException">The run stopped; nothing was removed.</exception>
    public async Task RunAsync(IRolloverSink sink, CancellationToken cancellationToken)
    {
        if (sink is null)
        {
            throw new ArgumentNullException(nameof(sink));
        }

        // Every step's end is a point where Ctrl+C (or a killed cron job) stops the run; the next run resumes.
        sink = new CancellingSink(sink, cancellationToken);

        var baseName = RolloverState.FileBaseName(_options.Targets);
        var directory = string.IsNullOrWhiteSpace(_options.StateDirectory) ? Path.GetTempPath() : _options.StateDirectory;
        Directory.CreateDirectory(directory);
        using var rolloverLock = _options.WhatIf ? null
            : await RolloverLock.AcquireAsync(Path.Combine(directory, baseName + ".lock"), _options.LockTimeout, Reporter, cancellationToken).ConfigureAwait(false);
        var state = RolloverState.Load(Path.Combine(directory, baseName + ".state"));
        var stagedId = StagedKeyId();
        if (state.StagedKey != stagedId)
        {
            // A different staged key: an earlier run's times say nothing about these records.
            state.PublishedAt = null;
            state.VisibleAt = null;
            state.AbsentBefore.Clear();
        }

        // DNS answers and TLS reads are narrated as the other cmdlets narrate theirs (-Verbose).
        using var dns = new DaneDnsReader(_options.Resolver, Reporter);

        // 1. What is there now.
        var published = new Dictionary<RolloverTarget, IReadOnlyList<PublishedTlsaRecord>>();
        foreach (var target in _options.Targets)
        {
            published[target] = await _provider.GetAsync(target.OwnerName, cancellationToken).ConfigureAwait(false);
        }

        var served = await ServedKeys.ReadAsync(dns, _options.Targets, _options.Check.Probe, Reporter, cancellationToken).ConfigureAwait(false);
        var staged = _options.Targets.ToDictionary(t => t, t => StagedRecords(published[t], served.Where(s => s.Target == t).ToList()));
        var missing = _options.Targets.SelectMany(t => staged[t].Where(r => !published[t].Any(p => p.Record.Equals(r))).Select(r => (Target: t, Record: r))).ToList();
        var others = _options.Targets.SelectMany(t => published[t].Where(p => !staged[t].Contains(p.Record))).ToList();
        var servingStaged = served.All(s => s.Error is null && staged[s.Target].Any(s.Matches));
        var presented = Describe(served, staged);

        var planMessage = $"{_options.Targets.Count} service(s) through {_provider.Description}: {missing.Count} staged record(s) to publish, {others.Count} other record(s) published, " +
            (servingStaged ? "every address already presents the staged key." : "the servers present the current key.");
        sink.StepEnded(new TlsaRolloverStep(RolloverStepKind.Plan, _options.WhatIf ? RolloverStepStatus.WouldDo : RolloverStepStatus.Done, planMessage) { PresentedNow = presented });
        if (servingStaged && missing.Count == 0 && others.Count == 0)
        {
            state.Delete();
            sink.StepEnded(new TlsaRolloverStep(RolloverStepKind.Complete, RolloverStepStatus.NothingToDo,
                "Nothing to do: every address presents the staged key, its records are published, and no other record is left to retire."));
            return;
        }

        // 2. Publish beside the current records.
        await PublishAsync(sink, state, stagedId, published, missing, cancellationToken).ConfigureAwait(false);

        // 3. Wait for every authoritative server, then for caches.
        await WaitAsync(sink, state, dns, staged, published, servingStaged, missing.Count == 0, cancellationToken).ConfigureAwait(false);

        // 4. Reload.
        await ReloadAsync(sink, servingStaged, cancellationToken).ConfigureAwait(false);

        // 5. Verify every address with the staged key.
        if (_options.WhatIf)
        {
            sink.StepEnded(new TlsaRolloverStep(RolloverStepKind.Verify, RolloverStepStatus.WouldDo, "Would check every address of every host passes DANE with the staged key, and stop without removing anything if one does not."));
            var wouldRetire = others.Where(p => !served.Any(s => s.Matches(p.Record))).ToList();
            sink.StepEnded(new TlsaRolloverStep(RolloverStepKind.Retire, RolloverStepStatus.WouldDo,
                $"Would remove the records that match neither the served nor the staged key once verified: {(others.Count == 0 ? "none" : string.Join("; ", others.Select(o => o.ToString())))}" +
                (wouldRetire.Count == others.Count ? "." : " (those the servers present now only once they no longer do).")));
            sink.StepEnded(new TlsaRolloverStep(RolloverStepKind.Complete, RolloverStepStatus.WouldDo, "-WhatIf: nothing was changed."));
            return;
        }

        var verified = await VerifyAsync(sink, dns, staged, cancellationToken).ConfigureAwait(false);

        // 6. Retire: from a reading of the servers taken after verification, through the one guard.
        var changes = new List<TlsaChange>();
        var kept = new List<string>();
        foreach (var target in _options.Targets)
        {
            var now = await _provider.GetAsync(target.OwnerName, cancellationToken).ConfigureAwait(false);
            var (remove, keep) = RetirementGuard.Decide(now, staged[target], verified);
            kept.AddRange(keep);
            foreach (var record in remove)
            {
                changes.Add(await _provider.RemoveAsync(target.OwnerName, record.Record, cancellationToken).ConfigureAwait(false));
            }
        }

        sink.StepEnded(new TlsaRolloverStep(RolloverStepKind.Retire, changes.Count == 0 ? RolloverStepStatus.AlreadyDone : RolloverStepStatus.Done,
            changes.Count == 0 ? "No record to retire." : $"Removed {changes.Count(c => c.Changed)} record(s) that match neither the served nor the staged key.")
        { ChangesMade = changes, KeptRecords = kept });

        state.Delete();
        sink.StepEnded(new TlsaRolloverStep(RolloverStepKind.Complete, RolloverStepStatus.Done, "Rollover complete: every address presents the staged key and passes DANE."));
    }

    private async Task PublishAsync(IRolloverSink sink, RolloverState state, string stagedId, Dictionary<RolloverTarget, IReadOnlyList<PublishedTlsaRecord>> published,
        List<(RolloverTarget Target, TlsaRecord Record)> missing, CancellationToken ct)
    {
        if (missing.Count == 0)
        {
            sink.StepEnded(new TlsaRolloverStep(RolloverStepKind.Publish, RolloverStepStatus.AlreadyDone, "The staged key's records are already published."));
            return;
        }

        var list = string.Join("; ", missing.Select(m => $"{m.Target.OwnerName} TLSA {m.Record}"));
        if (_options.WhatIf)
        {
            sink.StepEnded(new TlsaRolloverStep(RolloverStepKind.Publish, RolloverStepStatus.WouldDo, $"Would publish through {_provider.Description}: {list}"));
            return;
        }

        // Noted before the change, so a run interrupted right after it still waits the full time.
        state.StagedKey = stagedId;
        state.PublishedAt ??= DateTimeOffset.UtcNow;
        state.VisibleAt = null;
        foreach (var target in missing.Select(m => m.Target).Distinct())
        {
            if (published[target].Count == 0)
            {
                state.AbsentBefore.Add(target.OwnerName);
            }
        }

        state.Save();
        var changes = new List<TlsaChange>();
        foreach (var (target, record) in missing)
        {
            changes.Add(await _provider.AddAsync(target.OwnerName, record, _options.Ttl, ct).ConfigureAwait(false));
        }

        sink.StepEnded(new TlsaRolloverStep(RolloverStepKind.Publish, RolloverStepStatus.Done, $"Published beside the current records: {list}") { ChangesMade = changes });
    }

    private async Task WaitAsync(IRolloverSink sink, RolloverState state, DaneDnsReader dns, Dictionary<RolloverTarget, IReadOnlyList<TlsaRecord>> staged,
        Dictionary<RolloverTarget, IReadOnlyList<PublishedTlsaRecord>> published, bool servingStaged, bool publishedBefore, CancellationToken ct)
    {
        if (servingStaged)
        {
            sink.StepEnded(new TlsaRolloverStep(RolloverStepKind.Wait, RolloverStepStatus.Skipped, "Every address already presents the staged key: there is nothing left to wait for."));
            return;
        }

        var ttl = Math.Max(_options.Ttl, published.Values.SelectMany(p => p).Select(p => p.Ttl ?? 0).Where(t => t > 1).DefaultIfEmpty(0).Max());
        if (_options.WhatIf)
        {
            sink.StepEnded(new TlsaRolloverStep(RolloverStepKind.Wait, RolloverStepStatus.WouldDo,
                $"Would wait until every authoritative server of the zone serves the staged records, then {(_options.CacheWait is { } w ? w.TotalSeconds : ttl):0} s for caches (the TTL, or the negative TTL where the name had no records)."));
            return;
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var deadline = DateTimeOffset.UtcNow + _options.PropagationTimeout;
        var resolverTtl = 0;
        foreach (var target in _options.Targets)
        {
            while (true)
            {
                var set = await dns.GetTlsaAsync(target.HostName, target.Port, "tcp", true, ct).ConfigureAwait(false);
                resolverTtl = Math.Max(resolverTtl, set.Ttl ?? 0);
                var wanted = staged[target].Select(r => r.ToString()).ToList();
                var lagging = set.AuthoritativeAnswers.Where(a => a.Error is not null || wanted.Any(w => !a.Records.Contains(w))).ToList();
                if (set.AuthoritativeAnswers.Count > 0 && lagging.Count == 0)
                {
                    break;
                }

                var what = set.AuthoritativeAnswers.Count == 0 ? "the zone's authoritative servers could not be found" : string.Join(", ", lagging.Select(a => $"{a.ServerName} ({a.Address}){(a.Error is null ? string.Empty : ": " + a.Error)}")) + " not serving them yet";
                if (DateTimeOffset.UtcNow > deadline)
                {
                    throw new RolloverException(RolloverFailure.PropagationTimeout,
                        $"The staged records for {target.OwnerName} did not reach every authoritative server within {_options.PropagationTimeout.TotalMinutes:0.#} min: {what}. Nothing was removed; run again to resume.");
                }

                sink.Progress($"Waiting for {target.OwnerName} TLSA on every authoritative server", what, -1);
                await Task.Delay(_options.PollInterval, ct).ConfigureAwait(false);
            }
        }

        if (state.VisibleAt is null)
        {
            state.VisibleAt = DateTimeOffset.UtcNow;
            if (state.PublishedAt is not null)
            {
                state.Save();
            }
        }

        if (publishedBefore && state.PublishedAt is null)
        {
            sink.StepEnded(new TlsaRolloverStep(RolloverStepKind.Wait, RolloverStepStatus.AlreadyDone,
                "The staged records were published before this run (current + next) and every authoritative server serves them: no cache wait is needed.") { Waited = clock.Elapsed });
            return;
        }

        // The negative TTL always counts, not only where the name had no records: a resolver that synthesizes
        // answers from cached NSEC records (RFC 8198) may deny the new records from a neighbour's denial.
        var negative = await NegativeTtlAsync(_options.Targets[0].HostName, ct).ConfigureAwait(false);

        var cacheWait = _options.CacheWait ?? TimeSpan.FromSeconds(Math.Max(Math.Max(ttl, resolverTtl), negative));
        var until = state.VisibleAt.Value + cacheWait;
        while (DateTimeOffset.UtcNow < until)
        {
            var left = until - DateTimeOffset.UtcNow;
            var percent = cacheWait <= TimeSpan.Zero ? 100 : (int)Math.Max(0, Math.Min(100, 100 - (left.TotalSeconds * 100 / cacheWait.TotalSeconds)));
            sink.Progress("Waiting for caches to expire the old TLSA RRsets",
                string.Format(CultureInfo.InvariantCulture, "every authoritative server serves the staged records; caches may hold the old RRset until {0:HH:mm:ss} UTC ({1:0} s left)", until, left.TotalSeconds), percent);
            await Task.Delay(left < _options.PollInterval ? left : _options.PollInterval, ct).ConfigureAwait(false);
        }

        sink.StepEnded(new TlsaRolloverStep(RolloverStepKind.Wait, RolloverStepStatus.Done,
            string.Format(CultureInfo.InvariantCulture, "Every authoritative server serves the staged records since {0:HH:mm:ss} UTC, and {1:0} s (TTL {2} s{3}) have passed since.",
                state.VisibleAt, cacheWait.TotalSeconds, Math.Max(ttl, resolverTtl), negative > 0 ? $", negative TTL {negative} s" : string.Empty)) { Waited = clock.Elapsed });
    }

    private async Task ReloadAsync(IRolloverSink sink, bool servingStaged, CancellationToken ct)
    {
        if (_options.Reload is null)
        {
            sink.StepEnded(new TlsaRolloverStep(RolloverStepKind.Reload, RolloverStepStatus.Skipped, "No reload step was given."));
            return;
        }

        if (servingStaged)
        {
            sink.StepEnded(new TlsaRolloverStep(RolloverStepKind.Reload, RolloverStepStatus.AlreadyDone, "Every address already presents the staged key: the reload has happened."));
            return;
        }

        if (_options.WhatIf)
        {
            sink.StepEnded(new TlsaRolloverStep(RolloverStepKind.Reload, RolloverStepStatus.WouldDo, "Would run the reload step."));
            return;
        }

        ReloadResult result;
        try
        {
            result = await _options.Reload(ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            sink.StepEnded(new TlsaRolloverStep(RolloverStepKind.Reload, RolloverStepStatus.Failed, $"The reload step failed: {ex.Message}") { Output = ex.Message, ExitCode = -1 });
            throw new RolloverException(RolloverFailure.ReloadFailed, $"The reload step failed: {ex.Message} Nothing was removed; the staged records stay published beside the current ones.", null, ex);
        }

        if (result.ExitCode != 0)
        {
            sink.StepEnded(new TlsaRolloverStep(RolloverStepKind.Reload, RolloverStepStatus.Failed, $"The reload step exited with status {result.ExitCode}.") { Output = result.Output, ExitCode = result.ExitCode });
            throw new RolloverException(RolloverFailure.ReloadFailed,
                $"The reload step exited with status {result.ExitCode}: {Shorten(result.Output)} Nothing was removed; the staged records stay published beside the current ones.");
        }

        sink.StepEnded(new TlsaRolloverStep(RolloverStepKind.Reload, RolloverStepStatus.Done, "The reload step succeeded.") { Output = result.Output, ExitCode = 0 });
    }

    private async Task<IReadOnlyList<ServedChain>> VerifyAsync(IRolloverSink sink, DaneDnsReader dns, Dictionary<RolloverTarget, IReadOnlyList<TlsaRecord>> staged, CancellationToken ct)
    {
        // A reload returns before every worker has switched (nginx's old workers finish their connections, Postfix
        // starts new smtpd processes as mail comes): the check is repeated until it passes or the settle time ends.
        var settleUntil = DateTimeOffset.UtcNow + _options.VerifySettleTime;
        while (true)
        {
            var (served, problems) = await CheckOnceAsync(dns, staged, ct).ConfigureAwait(false);
            if (problems.Count == 0 || DateTimeOffset.UtcNow >= settleUntil)
            {
                return Verdict(sink, served, problems, staged);
            }

            sink.Progress("Verifying every address with the staged key", $"{problems.Count} problem(s) left, e.g. {problems[0]}; checking again until {settleUntil:HH:mm:ss} UTC", -1);
            await Task.Delay(_options.PollInterval, ct).ConfigureAwait(false);
        }
    }

    private async Task<(IReadOnlyList<ServedChain> Served, List<string> Problems)> CheckOnceAsync(DaneDnsReader dns, Dictionary<RolloverTarget, IReadOnlyList<TlsaRecord>> staged, CancellationToken ct)
    {
        var served = await ServedKeys.ReadAsync(dns, _options.Targets, _options.Check.Probe, Reporter, ct).ConfigureAwait(false);
        var checker = new DaneEndpointChecker(dns, _options.Check, Reporter);
        var problems = new List<string>();
        foreach (var target in _options.Targets)
        {
            foreach (var result in await checker.CheckHostAsync(target.HostName, target.Port, ct).ConfigureAwait(false))
            {
                if (result.Verdict != DaneVerdict.Pass)
                {
                    problems.Add($"{target.HostName}:{target.Port} [{result.Address}] {result.KeyType}: {result.Verdict} — {result.Summary}");
                }
            }
        }

        problems.AddRange(served.Where(s => s.Error is not null || !staged[s.Target].Any(s.Matches)).Select(s => s.Describe() + (s.Error is null ? ", not the staged key" : string.Empty)));
        return (served, problems);
    }

    private static IReadOnlyList<ServedChain> Verdict(IRolloverSink sink, IReadOnlyList<ServedChain> served, List<string> problems, Dictionary<RolloverTarget, IReadOnlyList<TlsaRecord>> staged)
    {
        var presented = Describe(served, staged);
        if (problems.Count > 0)
        {
            sink.StepEnded(new TlsaRolloverStep(RolloverStepKind.Verify, RolloverStepStatus.Failed, "Not every address passes DANE with the staged key; nothing was removed.") { PresentedNow = presented });
            throw new RolloverException(RolloverFailure.VerificationFailed,
                "Not every address passes DANE with the staged key, so no record was removed. " + string.Join(" ", problems.Distinct().Select(p => p.TrimEnd('.') + ".")) +
                " Reload the servers that still present the old key and run again.", presented);
        }

        sink.StepEnded(new TlsaRolloverStep(RolloverStepKind.Verify, RolloverStepStatus.Done, $"All {served.Count} address/key reading(s) present the staged key and pass DANE.") { PresentedNow = presented });
        return served;
    }

    private IReadOnlyList<TlsaRecord> StagedRecords(IReadOnlyList<PublishedTlsaRecord> published, IReadOnlyList<ServedChain> served)
    {
        // The parameters already in use for this service's end-entity key: those of records that match what is
        // served now, else any DANE-EE record's, else 3 1 1.
        var inUse = published.Where(p => p.Record.Usage == TlsaUsage.DaneEe && served.Any(s => s.Matches(p.Record))).Select(p => p.Record).ToList();
        if (inUse.Count == 0)
        {
            inUse = published.Where(p => p.Record.Usage == TlsaUsage.DaneEe && p.Record.IsUsable).Select(p => p.Record).ToList();
        }

        var parameters = inUse.Select(r => (r.Selector, r.MatchingType)).Distinct().ToList();
        if (parameters.Count == 0)
        {
            parameters.Add((TlsaSelector.Spki, TlsaMatchingType.Sha256));
        }

        var records = new List<TlsaRecord>();
        foreach (var (selector, matching) in parameters)
        {
            if (selector == TlsaSelector.Spki)
            {
                records.Add(TlsaRecordFactory.FromSubjectPublicKeyInfo(_stagedSpki, TlsaUsage.DaneEe, matching));
            }
            else if (_options.StagedCertificate is not null)
            {
                records.Add(TlsaRecordFactory.FromCertificate(_options.StagedCertificate, TlsaUsage.DaneEe, selector, matching));
            }
        }

        return records.Count > 0 ? records : new[] { TlsaRecordFactory.FromSubjectPublicKeyInfo(_stagedSpki, TlsaUsage.DaneEe, TlsaMatchingType.Sha256) };
    }

    private static List<string> Describe(IReadOnlyList<ServedChain> served, Dictionary<RolloverTarget, IReadOnlyList<TlsaRecord>> staged) =>
        served.Select(s => s.Error is not null ? s.Describe()
            : s.Describe() + (staged[s.Target].Any(s.Matches) ? " = the staged key" : " = the current key")).ToList();

    private string StagedKeyId()
    {
        using var sha = SHA256.Create();
        return Hex.Encode(sha.ComputeHash(_stagedSpki));
    }

    private async Task<int> NegativeTtlAsync(string hostName, CancellationToken ct)
    {
        // RFC 2308 §5: a negative answer is cached for the smaller of the SOA's TTL and its MINIMUM field.
        var servers = _options.Resolver.Servers.Select(s => new NameServer(s)).ToArray();
        var lookup = servers.Length == 0 ? new LookupClientOptions() : new LookupClientOptions(servers);
        lookup.UseCache = false;
        lookup.Timeout = _options.Resolver.Timeout;
        lookup.ThrowDnsErrors = false;
        var client = new LookupClient(lookup);
        try
        {
            var response = await client.QueryAsync(hostName, QueryType.SOA, QueryClass.IN, ct).ConfigureAwait(false);
            var soa = response.Answers.SoaRecords().Concat(response.Authorities.SoaRecords()).FirstOrDefault();
            return soa is null ? 3600 : (int)Math.Min(soa.InitialTimeToLive, soa.Minimum);
        }
        catch (DnsResponseException)
        {
            return 3600; // unknown: assume an hour rather than too little
        }
    }

    private static string Shorten(string text) => text.Length <= 400 ? text.Trim() : text.Substring(0, 400).Trim() + "…";

    private sealed class CancellingSink : IRolloverSink
    {
        private readonly IRolloverSink _inner;
        private readonly CancellationToken _ct;

        public CancellingSink(IRolloverSink inner, CancellationToken ct)
        {
            _inner = inner;
            _ct = ct;
        }

        public void StepEnded(TlsaRolloverStep report)
        {
            _inner.StepEnded(report);
            _ct.ThrowIfCancellationRequested();
        }

        public void Progress(string activity, string status, int percent) => _inner.Progress(activity, status, percent);
    }
}
