using System.Management.Automation;
using DanePS.Engine.Providers;

namespace DanePS;

/// <summary>One table from a provider's failure to the ErrorCategory a script can filter on.</summary>
internal static class ProviderErrors
{
    public static ErrorCategory CategoryOf(TlsaProviderFailure failure) => failure switch
    {
        TlsaProviderFailure.AuthenticationFailed => ErrorCategory.AuthenticationError,
        TlsaProviderFailure.ZoneNotFound => ErrorCategory.ObjectNotFound,
        TlsaProviderFailure.Refused => ErrorCategory.PermissionDenied,
        TlsaProviderFailure.RateLimited => ErrorCategory.LimitsExceeded,
        TlsaProviderFailure.MalformedResponse => ErrorCategory.InvalidResult,
        _ => ErrorCategory.ConnectionError,
    };
}
