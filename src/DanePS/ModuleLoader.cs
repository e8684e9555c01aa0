using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace DanePS;

/// <summary>
/// Loads the engine and its third-party dependencies (DnsClient, BouncyCastle) from the module's Dependencies
/// folder when the module is imported. On PowerShell 7 they go into DanePS's own AssemblyLoadContext, so another
/// module's DnsClient or BouncyCastle, loaded before or after DanePS, never replaces DanePS's and DanePS's never
/// replaces theirs. On Windows PowerShell 5.1 (.NET Framework has no load contexts) they load as before, from the
/// module's folder. Not for use from scripts.
/// </summary>
/// <remarks>
/// DanePS.psm1 calls <see cref="Register"/> before it imports DanePS.dll as a module: loading the cmdlet types
/// needs the engine (their fields include engine enums), and PowerShell loads them all before it would call an
/// IModuleAssemblyInitializer. Nothing in this class may refer to an engine type.
/// </remarks>
public sealed class ModuleLoader : IModuleAssemblyCleanup
{
    /// <summary>The folder beside DanePS.dll that holds the engine and everything it needs.</summary>
    internal const string DependencyFolderName = "Dependencies";

    /// <summary>The one assembly of the Dependencies folder that DanePS.dll refers to itself.</summary>
    internal const string EngineAssemblyName = "DanePS.Engine";

    private static readonly bool IsNetFramework = RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

    private static string DependencyFolder =>
        Path.Combine(Path.GetDirectoryName(typeof(ModuleLoader).Assembly.Location) ?? string.Empty, DependencyFolderName);

    /// <summary>Puts the resolver for the engine in place; called by DanePS.psm1, and harmless when called again.</summary>
    public static void Register()
    {
        if (IsNetFramework)
        {
            FrameworkLoader.Register(DependencyFolder);
        }
        else
        {
            IsolatedLoader.Register(DependencyFolder);
        }
    }

    /// <summary>Called by PowerShell when the module is removed.</summary>
    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        if (IsNetFramework)
        {
            FrameworkLoader.Unregister();
        }
        else
        {
            IsolatedLoader.Unregister();
        }
    }

    /// <summary>Windows PowerShell 5.1: resolve what DanePS needs from the Dependencies folder, as the module folder did before.</summary>
    private static class FrameworkLoader
    {
        private static string? folder;

        public static void Register(string dependencyFolder)
        {
            if (folder is null)
            {
                folder = dependencyFolder;
                AppDomain.CurrentDomain.AssemblyResolve += Resolve;
            }
        }

        public static void Unregister()
        {
            AppDomain.CurrentDomain.AssemblyResolve -= Resolve;
            folder = null;
        }

        private static Assembly? Resolve(object? sender, ResolveEventArgs args)
        {
            var path = folder is null ? null : Path.Combine(folder, new AssemblyName(args.Name).Name + ".dll");
            return path is not null && File.Exists(path) ? Assembly.LoadFrom(path) : null;
        }
    }

    /// <summary>
    /// PowerShell 7: DanePS.dll lives in the default load context and asks it for DanePS.Engine, which is not there;
    /// this hands over the engine from DanePS's own context, whose dependencies then resolve within that context.
    /// Kept in its own class, never touched on .NET Framework, where AssemblyLoadContext does not exist.
    /// </summary>
    private static class IsolatedLoader
    {
        private static DanePSLoadContext? context;

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static void Register(string dependencyFolder)
        {
            if (context is null)
            {
                context = DanePSLoadContext.For(dependencyFolder);
                System.Runtime.Loader.AssemblyLoadContext.Default.Resolving += ResolveEngine;
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static void Unregister() => System.Runtime.Loader.AssemblyLoadContext.Default.Resolving -= ResolveEngine;

        // Only the engine, by name: another module's failed request for its own DnsClient must not get DanePS's.
        private static Assembly? ResolveEngine(System.Runtime.Loader.AssemblyLoadContext defaultContext, AssemblyName name) =>
            context is not null && string.Equals(name.Name, EngineAssemblyName, StringComparison.Ordinal)
                ? context.LoadFromAssemblyName(name)
                : null;
    }
}
