using System;

namespace DanePS.Engine.Providers;

/// <summary>What went wrong when a provider refused or failed a request.</summary>
public enum TlsaProviderFailure
{
    /// <summary>The provider could not be reached or did not answer in time.</summary>
    Unreachable,

    /// <summary>The credentials were refused (Cloudflare 401/403, TSIG BADKEY/BADSIG/BADTIME, NOTAUTH).</summary>
    AuthenticationFailed,

    /// <summary>The zone was not found or the name is not in it.</summary>
    ZoneNotFound,

    /// <summary>The provider refused the change (REFUSED, a Cloudflare error code).</summary>
    Refused,

    /// <summary>The provider kept asking to slow down (HTTP 429) beyond the retries.</summary>
    RateLimited,

    /// <summary>The answer could not be understood, or its signature did not verify.</summary>
    MalformedResponse,
}

/// <summary>A provider request failed. The message never contains a secret (token or TSIG secret).</summary>
public sealed class TlsaProviderException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TlsaProviderException(TlsaProviderFailure failure, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
    }

    /// <summary>Creates the exception.</summary>
    public TlsaProviderException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public TlsaProviderException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public TlsaProviderException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The kind of failure.</summary>
    public TlsaProviderFailure Failure { get; } = TlsaProviderFailure.Unreachable;

    /// <summary>The provider's own error code (Cloudflare's error code, the DNS RCODE or TSIG error), when it gave one.</summary>
    public int? ProviderCode { get; set; }
}
