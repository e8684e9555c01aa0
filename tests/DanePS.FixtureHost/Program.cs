// Starts the EndpointWorld fixture (the same real servers and signed zones the xUnit endpoint tests use), writes
// what a client needs to reach it as JSON, and keeps it up until standard input closes or the process is told to
// stop (SIGTERM, Ctrl+C). Usage: DanePS.FixtureHost <json-out-path>
using System.Runtime.InteropServices;
using System.Text.Json;
using DanePS.Tests.Fixtures;
using DanePS.Tests.Fixtures.Cloudflare;
using DanePS.Tests.Fixtures.Http;
using DanePS.Tests.Fixtures.Servers;

if (args.Length != 1)
{
    Console.Error.WriteLine("usage: DanePS.FixtureHost <json-out-path>");
    return 2;
}

var world = new EndpointWorld();

// A stand-in for the Telegram Bot API: each request it gets is written as JSON into a folder the tests read.
var telegramRequests = Directory.CreateTempSubdirectory("daneps-telegram-").FullName;
await using var telegram = LoopbackHttpRecorder.Start();
telegram.SaveDirectory = telegramRequests;

// A stand-in for the Cloudflare API v4 (zone example.com), for Publish-TlsaRecord and Unpublish-TlsaRecord; a fresh
// token each run, which the Pester tests turn into a SecureString and then look for in every stream.
var cloudflareToken = "cf-fixture-" + Guid.NewGuid().ToString("N");
using var cloudflare = new CloudflareEmulator(cloudflareToken, "example.com");
try
{
    await world.InitializeAsync();
    var description = new
    {
        world.Resolver,
        world.NonValidatingResolver,
        world.NonValidatingRecursiveResolver,
        world.RootTrustAnchor,
        ProcessId = Environment.ProcessId,
        MailDomains = new { Pass = "goodmail.test", Fail = "mixedmail.test", Half = "halfmail.test", Insecure = "plain.test" },
        Hosts = new
        {
            Pass = "single.dane.test",
            Stale = "stalemx.dane.test",
            Rollover = "rollover.dane.test",
            NoTlsa = "notlsa.dane.test",
            Many = "many.dane.test",
            Refused = "refused.dane.test",
            Bogus = "mx.broken.test",
            Web = "web.dane.test",
            WebPort = world.WebEndpoint.Port,
        },

        // Each hostile server by behaviour: its host name in dane.test and the port it listens on.
        Hostile = world.Hostile.ToDictionary(h => h.Key.ToString(), h => new { HostName = $"{h.Key.ToString().ToLowerInvariant()}.dane.test", h.Value.Endpoint.Port }),
        // The hourly job's four situations: one mail host (SMTP on 25, HTTPS on 443) each.
        Situations = new { Junk = "junk.dane.test", OnlyJunk = "onlyjunk.dane.test", Rollover = "rollover.dane.test", Single = "single.dane.test" },
        Submission = new
        {
            Host = world.Submission.Endpoint.Address.ToString(),
            world.Submission.Endpoint.Port,
            SubmissionTestServer.UserName,
            SubmissionTestServer.Password,
            To = "ops@" + SubmissionTestServer.Domain,
            Maildir = world.Submission.NewMailDirectory,
        },
        // The TLS-RPT mailbox: report mails delivered by Postfix, read over IMAPS (or STARTTLS on ImapPort) with a login.
        ReportMailbox = new
        {
            Host = world.ReportMailbox.ImapsEndpoint.Address.ToString(),
            ImapsPort = world.ReportMailbox.ImapsEndpoint.Port,
            ImapPort = world.ReportMailbox.ImapEndpoint.Port,
            ReportMailboxTestServer.UserName,
            ReportMailboxTestServer.Password,
            Reports = 3,
            NonReports = 1,
        },
        MailDomainsTlsRpt = new { With = "goodmail.test", Without = "noreportmail.test" },
        Telegram = new { BaseAddress = telegram.BaseAddress.ToString(), Requests = telegramRequests },
        Cloudflare = new { ApiUri = cloudflare.BaseAddress.ToString(), Token = cloudflareToken, Zone = "example.com", ZoneId = cloudflare.ZoneId("example.com") },
    };

    // Written to a temporary name first, so a reader polling for the file never sees half of it.
    var path = Path.GetFullPath(args[0]);
    File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(description, new JsonSerializerOptions { WriteIndented = true }));
    File.Move(path + ".tmp", path, overwrite: true);
    Console.WriteLine($"fixture world up: resolver {world.Resolver}");

    var stop = new TaskCompletionSource();
    using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.TrySetResult(); });
    using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.TrySetResult(); });
    var stdinClosed = Task.Run(() => Console.In.ReadToEnd());
    await Task.WhenAny(stop.Task, stdinClosed);
    return 0;
}
finally
{
    await world.DisposeAsync();
    Directory.Delete(telegramRequests, recursive: true);
    Console.WriteLine("fixture world stopped");
}
