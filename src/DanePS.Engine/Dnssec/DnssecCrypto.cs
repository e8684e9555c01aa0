using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Security.Cryptography;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace DanePS.Engine.Dnssec;

/// <summary>
/// The DNSSEC algorithms DanePS validates (RFC 8624 §3.1: the MUST and RECOMMENDED ones in use today): RSASHA256 (8)
/// and RSASHA512 (10) with the platform's RSA; ECDSAP256SHA256 (13), ECDSAP384SHA384 (14), ED25519 (15) and ED448 (16)
/// with BouncyCastle, which netstandard2.0 lacks (no ECParameters import, no EdDSA). DS digests SHA-256 (2) and
/// SHA-384 (4), and SHA-1 (1) only where RFC 8624 §3.3 still wants it validated (and only when the DS set has no
/// stronger digest, RFC 4509 §3). Anything else is "unsupported": a zone signed only with such algorithms is
/// Insecure (RFC 6840 §5.2), never Secure and never Bogus. That includes RSASHA1 (5) and RSASHA1-NSEC3-SHA1 (7):
/// RFC 9905 §2 tells validating resolvers to treat them as unsupported, so SHA-1-only zones are Insecure.
/// </summary>
internal static class DnssecCrypto
{
    public static bool IsSupportedAlgorithm(byte algorithm) => algorithm is 8 or 10 or 13 or 14 or 15 or 16;

    public static bool IsSupportedDigest(byte digestType) => digestType is 1 or 2 or 4;

    public static string AlgorithmName(byte algorithm) => algorithm switch
    {
        1 => "RSAMD5",
        3 => "DSA",
        5 => "RSASHA1",
        6 => "DSA-NSEC3-SHA1",
        7 => "RSASHA1-NSEC3-SHA1",
        8 => "RSASHA256",
        10 => "RSASHA512",
        12 => "ECC-GOST",
        13 => "ECDSAP256SHA256",
        14 => "ECDSAP384SHA384",
        15 => "ED25519",
        16 => "ED448",
        _ => "algorithm " + algorithm.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>RFC 4034 Appendix B key tag of a DNSKEY rdata.</summary>
    public static ushort KeyTag(byte[] dnskeyRdata)
    {
        uint ac = 0;
        for (var i = 0; i < dnskeyRdata.Length; i++)
        {
            ac += (i & 1) != 0 ? dnskeyRdata[i] : (uint)(dnskeyRdata[i] << 8);
        }

        ac += (ac >> 16) & 0xFFFF;
        return (ushort)(ac & 0xFFFF);
    }

    /// <summary>The DS digest of a DNSKEY (RFC 4034 §5.1.4): digest(owner in canonical form | rdata); null when the type is not supported.</summary>
    public static byte[]? DsDigest(byte digestType, DomainName owner, byte[] dnskeyRdata)
    {
        var name = owner.ToWire(canonical: true);
        var data = new byte[name.Length + dnskeyRdata.Length];
        Buffer.BlockCopy(name, 0, data, 0, name.Length);
        Buffer.BlockCopy(dnskeyRdata, 0, data, name.Length, dnskeyRdata.Length);
        HashAlgorithm? hash = digestType switch
        {
#pragma warning disable CA5350 // SHA-1 DS digests: validation only, as RFC 8624 §3.3 requires; never used to sign.
            1 => SHA1.Create(),
#pragma warning restore CA5350
            2 => SHA256.Create(),
            4 => SHA384.Create(),
            _ => null,
        };
        using (hash)
        {
            return hash?.ComputeHash(data);
        }
    }

    // BouncyCastle's custom curves (specialised field arithmetic, precomputed generator tables): several times
    // faster than the generic ones, and a check of 500 hosts verifies thousands of ECDSA signatures.
    private static readonly X9ECParameters P256 = CustomNamedCurves.GetByName("P-256");
    private static readonly X9ECParameters P384 = CustomNamedCurves.GetByName("P-384");
    private static readonly ECDomainParameters P256Domain = new(P256.Curve, P256.G, P256.N, P256.H);
    private static readonly ECDomainParameters P384Domain = new(P384.Curve, P384.G, P384.N, P384.H);

    /// <summary>Whether <paramref name="signature"/> over <paramref name="data"/> verifies with the public key; false for a malformed key or signature.</summary>
    public static bool Verify(byte algorithm, byte[] publicKey, byte[] data, byte[] signature)
    {
        object? cache = null;
        try
        {
            return Verify(algorithm, publicKey, data, signature, ref cache);
        }
        finally
        {
            (cache as IDisposable)?.Dispose();
        }
    }

    /// <summary>
    /// As <see cref="Verify(byte, byte[], byte[], byte[])"/>, keeping the decoded public key in <paramref name="keyCache"/>
    /// (one per DNSKEY) so that a zone key used for thousands of signatures is decoded once, and remembering what
    /// verified in <see cref="VerifiedSignatures.Shared"/> so that the same signature seen again in this process
    /// costs a SHA-256 instead of a public-key operation.
    /// </summary>
    public static bool Verify(byte algorithm, byte[] publicKey, byte[] data, byte[] signature, ref object? keyCache)
    {
        var fingerprint = VerifiedSignatures.Of(algorithm, publicKey, data, signature);
        if (VerifiedSignatures.Shared.Contains(fingerprint))
        {
            return true;
        }

        var valid = VerifyCore(algorithm, publicKey, data, signature, ref keyCache);
        if (valid)
        {
            VerifiedSignatures.Shared.Add(fingerprint);
        }

        return valid;
    }

    /// <summary>
    /// The public-key operation itself, without the memory of verified signatures. The decoded key is used from
    /// <paramref name="keyCache"/> only when it was decoded from these very key bytes and algorithm, so a cache
    /// handed over with another key can never verify for it; a key decoded here is stored there when the cache is
    /// empty, and released when another thread stored one first or the cache belongs to another key.
    /// </summary>
    internal static bool VerifyCore(byte algorithm, byte[] publicKey, byte[] data, byte[] signature, ref object? keyCache)
    {
        var shared = keyCache as DecodedKey;
        var decoded = shared is not null && shared.IsFor(algorithm, publicKey) ? shared.Value : null;
        var fresh = decoded is null;
        try
        {
            return algorithm switch
            {
                8 => VerifyRsa(publicKey, data, signature, HashAlgorithmName.SHA256, ref decoded),
                10 => VerifyRsa(publicKey, data, signature, HashAlgorithmName.SHA512, ref decoded),
                13 => VerifyEcdsa(publicKey, data, signature, P256Domain, 32, ref decoded),
                14 => VerifyEcdsa(publicKey, data, signature, P384Domain, 48, ref decoded),
                15 => publicKey.Length == Ed25519.PublicKeySize && signature.Length == Ed25519.SignatureSize
                    && Ed25519.Verify(signature, 0, publicKey, 0, data, 0, data.Length),
                16 => publicKey.Length == Ed448.PublicKeySize && signature.Length == Ed448.SignatureSize
                    && Ed448.Verify(signature, 0, publicKey, 0, Array.Empty<byte>(), data, 0, data.Length),
                _ => false,
            };
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException or FormatException or InvalidOperationException)
        {
            return false;
        }
        finally
        {
            if (fresh && decoded is not null)
            {
                var created = new DecodedKey(algorithm, publicKey, decoded);
                if (shared is not null || Interlocked.CompareExchange(ref keyCache, created, null) is not null)
                {
                    created.Dispose();
                }
            }
        }
    }

    /// <summary>A decoded public key (a <see cref="KeyPool{T}"/> or BouncyCastle parameters) with the key bytes and algorithm it came from.</summary>
    private sealed class DecodedKey : IDisposable
    {
        private readonly byte _algorithm;
        private readonly byte[] _source;

        public DecodedKey(byte algorithm, byte[] source, object value)
        {
            _algorithm = algorithm;
            _source = source;
            Value = value;
        }

        public object Value { get; }

        public bool IsFor(byte algorithm, byte[] key) =>
            algorithm == _algorithm && (ReferenceEquals(key, _source) || RrsetVerifier.ByteArrayComparer.Instance.Equals(key, _source));

        public void Dispose() => (Value as IDisposable)?.Dispose();
    }

    /// <summary>RSA public key in RFC 3110 form: exponent length (1 byte, or 0 and 2 bytes), exponent, modulus.</summary>
    private static bool VerifyRsa(byte[] key, byte[] data, byte[] signature, HashAlgorithmName hash, ref object? decoded)
    {
        if (decoded is not KeyPool<RSA> pool)
        {
            if (!TryRsaParameters(key, out var parameters))
            {
                return false;
            }

            pool = new KeyPool<RSA>(() =>
            {
                var rsa = RSA.Create();
                try
                {
                    rsa.ImportParameters(parameters);
                    return rsa;
                }
                catch
                {
                    rsa.Dispose();
                    throw;
                }
            });
            decoded = pool;
        }

        var digest = Digest(hash, data);
        return pool.Use(rsa => rsa.VerifyHash(digest, signature, hash, RSASignaturePadding.Pkcs1));
    }

    private static bool TryRsaParameters(byte[] key, out RSAParameters parameters)
    {
        parameters = default;
        if (key.Length < 3)
        {
            return false;
        }

        int exponentLength = key[0];
        var offset = 1;
        if (exponentLength == 0)
        {
            exponentLength = (key[1] << 8) | key[2];
            offset = 3;
        }

        if (exponentLength == 0 || offset + exponentLength >= key.Length)
        {
            return false;
        }

        parameters = new RSAParameters
        {
            Exponent = key.Skip(offset).Take(exponentLength).ToArray(),
            Modulus = key.Skip(offset + exponentLength).ToArray(),
        };
        return true;
    }

    [ThreadStatic]
    private static SHA256? _sha256;

    [ThreadStatic]
    private static SHA384? _sha384;

    [ThreadStatic]
    private static SHA512? _sha512;

    /// <summary>
    /// The digest a signature is made over, hashed here and verified with VerifyHash: VerifyData costs about 20 %
    /// more per signature on OpenSSL 3 (a digest context fetched for every call). One hasher of each kind per thread.
    /// </summary>
    private static byte[] Digest(HashAlgorithmName name, byte[] data)
    {
        HashAlgorithm hasher = name == HashAlgorithmName.SHA256 ? _sha256 ??= SHA256.Create()
            : name == HashAlgorithmName.SHA384 ? _sha384 ??= SHA384.Create()
            : _sha512 ??= SHA512.Create();
        return hasher.ComputeHash(data);
    }

    /// <summary>ECDSA (RFC 6605): the key is X|Y, the signature R|S, each half <paramref name="size"/> bytes.</summary>
    private static bool VerifyEcdsa(byte[] key, byte[] data, byte[] signature, ECDomainParameters domain, int size, ref object? decoded)
    {
        if (key.Length != 2 * size || signature.Length != 2 * size)
        {
            return false;
        }

        if (decoded is null && PlatformEcdsa.TryCreate(key, size) is { } platform)
        {
            decoded = platform;
        }

        var digest = Digest(size == 32 ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA384, data);
        if (decoded is KeyPool<ECDsa> fast)
        {
            return fast.Use(ecdsa => ecdsa.VerifyHash(digest, signature));
        }

        if (decoded is not ECPublicKeyParameters parameters)
        {
            var point = domain.Curve.CreatePoint(new BigInteger(1, key, 0, size), new BigInteger(1, key, size, size));
            parameters = new ECPublicKeyParameters(point, domain);
            decoded = parameters;
        }

        var signer = new ECDsaSigner();
        signer.Init(false, parameters);
        return signer.VerifySignature(digest, new BigInteger(1, signature, 0, size), new BigInteger(1, signature, size, size));
    }

    /// <summary>
    /// One decoded public key, shared by every verification its DNSKEY makes. The platform's key objects (RSA,
    /// ECDsa) are not documented as safe for concurrent use, so each verification borrows an instance and gives it
    /// back; a new instance is decoded only when all are busy, and a few are kept. (A single instance behind a lock
    /// made concurrent lookups in one zone wait on each other: every answer of a zone is signed by the same key.)
    /// </summary>
    private sealed class KeyPool<T> : IDisposable
        where T : class, IDisposable
    {
        private static readonly int Keep = Math.Max(2, Environment.ProcessorCount * 2);
        private readonly Func<T> _create;
        private readonly ConcurrentBag<T> _idle = new();
        private int _idleCount;
        private volatile bool _disposed;

        public KeyPool(Func<T> create, T? first = null)
        {
            _create = create;
            if (first is not null)
            {
                _idle.Add(first);
                _idleCount = 1;
            }
        }

        public bool Use(Func<T, bool> operation)
        {
            T instance;
            if (_idle.TryTake(out var idle))
            {
                Interlocked.Decrement(ref _idleCount);
                instance = idle;
            }
            else
            {
                instance = _create();
            }

            try
            {
                return operation(instance);
            }
            finally
            {
                if (!_disposed && Interlocked.Increment(ref _idleCount) <= Keep)
                {
                    _idle.Add(instance);
                }
                else
                {
                    if (!_disposed)
                    {
                        Interlocked.Decrement(ref _idleCount);
                    }

                    instance.Dispose();
                }
            }
        }

        /// <summary>Releases the idle instances; one in use is released when it comes back.</summary>
        public void Dispose()
        {
            _disposed = true;
            while (_idle.TryTake(out var idle))
            {
                idle.Dispose();
            }
        }
    }

    /// <summary>
    /// The platform's ECDsa for one public key, where the runtime has it: netstandard2.0 has no ECParameters, but
    /// .NET (PowerShell 7) and .NET Framework 4.7+ (Windows PowerShell 5.1) do, and their verification (OpenSSL,
    /// CNG) is several times faster than BouncyCastle's. Reached by reflection; when it is not there, BouncyCastle
    /// verifies.
    /// </summary>
    private static class PlatformEcdsa
    {
        private static readonly Func<byte[], byte[], int, ECDsa?>? Factory = BuildFactory();

        /// <summary>A pool of the key's ECDsa instances, or null when the platform has none or refuses the point.</summary>
        public static KeyPool<ECDsa>? TryCreate(byte[] key, int size)
        {
            if (Factory is null)
            {
                return null;
            }

            var x = new byte[size];
            var y = new byte[size];
            Buffer.BlockCopy(key, 0, x, 0, size);
            Buffer.BlockCopy(key, size, y, 0, size);
            try
            {
                return Factory(x, y, size) is { } first ? new KeyPool<ECDsa>(() => Factory(x, y, size)!, first) : null;
            }
            catch (Exception ex) when (ex is System.Reflection.TargetInvocationException or CryptographicException or ArgumentException or NotSupportedException or PlatformNotSupportedException)
            {
                return null; // not a point on the curve, or no platform support: BouncyCastle decides
            }
        }

        private static Func<byte[], byte[], int, ECDsa?>? BuildFactory()
        {
            try
            {
                var assembly = typeof(ECDsa).Assembly;
                var parametersType = assembly.GetType("System.Security.Cryptography.ECParameters");
                var pointType = assembly.GetType("System.Security.Cryptography.ECPoint");
                var curveType = assembly.GetType("System.Security.Cryptography.ECCurve");
                var named = curveType?.GetNestedType("NamedCurves");
                var create = parametersType is null ? null : typeof(ECDsa).GetMethod("Create", new[] { parametersType });
                var p256 = named?.GetProperty("nistP256")?.GetValue(null);
                var p384 = named?.GetProperty("nistP384")?.GetValue(null);
                if (parametersType is null || pointType is null || create is null || p256 is null || p384 is null)
                {
                    return null;
                }

                var curveField = parametersType.GetField("Curve");
                var qField = parametersType.GetField("Q");
                var xField = pointType.GetField("X");
                var yField = pointType.GetField("Y");
                if (curveField is null || qField is null || xField is null || yField is null)
                {
                    return null;
                }

                return (x, y, size) =>
                {
                    var point = Activator.CreateInstance(pointType)!;
                    xField.SetValue(point, x);
                    yField.SetValue(point, y);
                    var parameters = Activator.CreateInstance(parametersType)!;
                    curveField.SetValue(parameters, size == 32 ? p256 : p384);
                    qField.SetValue(parameters, point);
                    return create.Invoke(null, new[] { parameters }) as ECDsa;
                };
            }
            catch (Exception ex) when (ex is System.Reflection.TargetInvocationException or System.Reflection.AmbiguousMatchException or MemberAccessException or TypeLoadException or NotSupportedException)
            {
                return null;
            }
        }
    }
}
