using System;
using System.Linq.Expressions;
using System.Reflection;

namespace DanePS;

/// <summary>
/// A handler for SIGTERM (a service stop from systemd, a container runtime) where the runtime offers
/// PosixSignalRegistration (.NET 6 and later, so PowerShell 7). Since .NET 10 the runtime no longer turns SIGTERM into
/// AppDomain.ProcessExit: without a registration, pwsh 7.6 is killed at once, mid-run. The handler runs first, and
/// the signal's default handling follows when it returns (the process ends as terminated by SIGTERM, which is what a
/// service manager expects). netstandard2.0 has no such type, so it is reached by reflection; where it is missing
/// (.NET Framework, Windows PowerShell 5.1) there is no SIGTERM to handle and nothing is registered.
/// </summary>
internal static class TerminationSignal
{
    private const int SigTerm = -4; // PosixSignal.SIGTERM

    private static readonly Func<Action, IDisposable?>? Register = Build();

    /// <summary>Runs <paramref name="handler"/> on SIGTERM until the returned registration is disposed; null where the platform has none.</summary>
    public static IDisposable? OnTerminate(Action handler)
    {
        try
        {
            return Register?.Invoke(handler);
        }
        catch (Exception ex) when (ex is TargetInvocationException or PlatformNotSupportedException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    private static Func<Action, IDisposable?>? Build()
    {
        try
        {
            var registration = Type.GetType("System.Runtime.InteropServices.PosixSignalRegistration, System.Runtime.InteropServices", throwOnError: false);
            var signal = Type.GetType("System.Runtime.InteropServices.PosixSignal, System.Runtime.InteropServices", throwOnError: false);
            var context = Type.GetType("System.Runtime.InteropServices.PosixSignalContext, System.Runtime.InteropServices", throwOnError: false);
            if (registration is null || signal is null || context is null)
            {
                return null;
            }

            var callback = typeof(Action<>).MakeGenericType(context);
            var create = registration.GetMethod("Create", new[] { signal, callback });
            if (create is null)
            {
                return null;
            }

            return handler =>
            {
                // (PosixSignalContext c) => handler(): Cancel stays false, so the default handling follows.
                var parameter = Expression.Parameter(context, "context");
                var lambda = Expression.Lambda(callback, Expression.Invoke(Expression.Constant(handler)), parameter).Compile();
                return create.Invoke(null, new[] { Enum.ToObject(signal, SigTerm), lambda }) as IDisposable;
            };
        }
        catch (Exception ex) when (ex is TypeLoadException or AmbiguousMatchException or ArgumentException or MemberAccessException
            or System.IO.IOException or BadImageFormatException or System.Security.SecurityException or NotSupportedException)
        {
            return null; // a probe: whatever keeps the type from loading (a .NET Framework facade) means "not here"
        }
    }
}
