using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using DanePS.Tests.Fixtures.Pki;

namespace DanePS.Tests.Fixtures.Servers;

/// <summary>
/// What a test server presents: the chain it sends (leaf first, then whatever intermediates it should send) and
/// the leaf's private key, as PEM.
/// </summary>
public sealed class TlsIdentity
{
    public TlsIdentity(string chainPem, string keyPem, TestCertificate? root = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(chainPem);
        ArgumentException.ThrowIfNullOrWhiteSpace(keyPem);
        ChainPem = chainPem;
        KeyPem = keyPem;
        Root = root;
        var collection = new X509Certificate2Collection();
        collection.ImportFromPem(chainPem);
        if (collection.Count == 0)
        {
            throw new ArgumentException("The chain holds no certificate.", nameof(chainPem));
        }

        Certificates = collection.ToList();
    }

    /// <summary>The PEM chain the server sends, leaf first.</summary>
    public string ChainPem { get; }

    public string KeyPem { get; }

    /// <summary>The certificates the server sends, in order.</summary>
    public IReadOnlyList<X509Certificate2> Certificates { get; }

    public X509Certificate2 Leaf => Certificates[0];

    /// <summary>The trust anchor the chain leads to, when known (it is never sent).</summary>
    public TestCertificate? Root { get; }

    /// <summary>The chain <paramref name="leaf"/>, <paramref name="intermediates"/>…; pass none to omit the intermediate.</summary>
    public static TlsIdentity From(TestCertificate leaf, TestCertificate? root, params TestCertificate[] intermediates)
    {
        var pem = new StringBuilder(leaf.Pem);
        foreach (var intermediate in intermediates)
        {
            pem.Append(intermediate.Pem);
        }

        return new TlsIdentity(pem.ToString(), leaf.KeyPem, root);
    }

    /// <summary>
    /// A fresh root → intermediate → leaf for <paramref name="hostNames"/>, all of <paramref name="keyType"/>; the
    /// server sends leaf and intermediate, or the leaf alone when <paramref name="sendIntermediate"/> is false.
    /// </summary>
    public static TlsIdentity Issue(TestKeyType keyType, bool sendIntermediate, params string[] hostNames)
    {
        var names = hostNames.Length > 0 ? hostNames : new[] { "mx.example.test" };
        var root = TestPki.CreateRoot($"DanePS Test Root {keyType}", keyType);
        var intermediate = TestPki.CreateIntermediate(root, $"DanePS Test Intermediate {keyType}", keyType);
        var leaf = TestPki.CreateLeaf(intermediate, names, keyType);
        return sendIntermediate ? From(leaf, root, intermediate) : From(leaf, root);
    }

    /// <summary>Writes the chain and key (mode 0600) into <paramref name="directory"/> for a server to read.</summary>
    internal (string ChainPath, string KeyPath) WriteTo(string directory, string baseName)
    {
        var chainPath = Path.Combine(directory, baseName + "-chain.pem");
        var keyPath = Path.Combine(directory, baseName + "-key.pem");
        File.WriteAllText(chainPath, ChainPem);
        File.WriteAllText(keyPath, string.Empty);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.WriteAllText(keyPath, KeyPem);
        return (chainPath, keyPath);
    }
}
