using System;
using System.Collections.Concurrent;
using System.IO;
using System.Reflection;

namespace DanePS;

/// <summary>
/// DanePS's private AssemblyLoadContext on PowerShell 7: the engine, DnsClient and BouncyCastle load here, from the
/// module's Dependencies folder, whatever versions of them other modules loaded into the default context.
/// Framework assemblies (System.*, Microsoft.*, netstandard) and PowerShell itself come from the default context,
/// so the types DanePS.dll shares with PowerShell and with the engine are the same types.
/// </summary>
internal sealed class DanePSLoadContext : System.Runtime.Loader.AssemblyLoadContext
{
    private static readonly ConcurrentDictionary<string, DanePSLoadContext> Contexts = new(StringComparer.Ordinal);

    private readonly string _folder;

    private DanePSLoadContext(string folder) => _folder = folder;

    /// <summary>One context per folder: importing the module again reuses it.</summary>
    public static DanePSLoadContext For(string folder) => Contexts.GetOrAdd(Path.GetFullPath(folder), f => new DanePSLoadContext(f));

    /// <inheritdoc />
    protected override Assembly? Load(AssemblyName assemblyName)
    {
        var name = assemblyName.Name ?? string.Empty;
        if (name.StartsWith("System.", StringComparison.Ordinal) || name.StartsWith("Microsoft.", StringComparison.Ordinal) || name == "netstandard")
        {
            return null; // the framework's own, from the default context (the folder's copies are for .NET Framework)
        }

        var path = Path.Combine(_folder, name + ".dll");
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }
}
