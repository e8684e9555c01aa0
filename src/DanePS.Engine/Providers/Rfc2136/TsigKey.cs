using System;
using System.Runtime.InteropServices;
using System.Security;
using System.Security.Cryptography;

namespace DanePS.Engine.Providers.Rfc2136;

/// <summary>
/// A TSIG key (RFC 8945): its name, HMAC algorithm and shared secret. The secret is never shown: ToString and every
/// message name only the key and its algorithm.
/// </summary>
public sealed class TsigKey
{
    private readonly byte[] _secret;

    /// <summary>Creates a key from its secret bytes.</summary>
    public TsigKey(string name, string algorithm, byte[] secret)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("A TSIG key needs a name.", nameof(name));
        }

        if (secret is null || secret.Length == 0)
        {
            throw new ArgumentException("A TSIG key needs a secret.", nameof(secret));
        }

        Name = name.Trim().TrimEnd('.');
        Algorithm = NormalizeAlgorithm(algorithm);
        _secret = (byte[])secret.Clone();
    }

    /// <summary>The key name as the server knows it, e.g. "rollover-key".</summary>
    public string Name { get; }

    /// <summary>The algorithm: hmac-sha256 (the default), hmac-sha384, hmac-sha512 or hmac-sha1.</summary>
    public string Algorithm { get; }

    /// <summary>Makes a key from a base64 secret held in a SecureString (as tsig-keygen and keymgr print it).</summary>
    /// <exception cref="FormatException">The secret is not base64.</exception>
    public static TsigKey FromBase64(string name, string algorithm, SecureString base64Secret)
    {
        if (base64Secret is null)
        {
            throw new ArgumentNullException(nameof(base64Secret));
        }

        var pointer = IntPtr.Zero;
        try
        {
            pointer = Marshal.SecureStringToGlobalAllocUnicode(base64Secret);
            var text = Marshal.PtrToStringUni(pointer) ?? string.Empty;
            byte[] secret;
            try
            {
                secret = Convert.FromBase64String(text.Trim());
            }
            catch (FormatException ex)
            {
                // The message must not echo the secret.
                throw new FormatException($"The secret of TSIG key '{name}' is not base64.", ex);
            }

            return new TsigKey(name, algorithm, secret);
        }
        finally
        {
            if (pointer != IntPtr.Zero)
            {
                Marshal.ZeroFreeGlobalAllocUnicode(pointer);
            }
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Algorithm})";

    internal HMAC CreateHmac() => Algorithm switch
    {
        "hmac-sha256" => new HMACSHA256(_secret),
        "hmac-sha384" => new HMACSHA384(_secret),
        "hmac-sha512" => new HMACSHA512(_secret),
#pragma warning disable CA5350 // HMAC-SHA1 is still a TSIG algorithm servers offer (RFC 8945 §6); SHA-256 is the default.
        "hmac-sha1" => new HMACSHA1(_secret),
#pragma warning restore CA5350
        _ => throw new NotSupportedException($"TSIG algorithm {Algorithm} is not supported."),
    };

    private static string NormalizeAlgorithm(string? algorithm)
    {
#pragma warning disable CA1308 // Algorithm names are DNS names, compared in lower case.
        var name = string.IsNullOrWhiteSpace(algorithm) ? "hmac-sha256" : algorithm!.Trim().TrimEnd('.').ToLowerInvariant();
#pragma warning restore CA1308
        return name switch
        {
            "hmac-sha256" or "hmac-sha384" or "hmac-sha512" or "hmac-sha1" => name,
            _ => throw new ArgumentException($"TSIG algorithm '{algorithm}' is not one of hmac-sha256, hmac-sha384, hmac-sha512, hmac-sha1.", nameof(algorithm)),
        };
    }
}
