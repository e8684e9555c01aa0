using System;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Threading;

namespace DanePS.Engine.Dnssec;

/// <summary>
/// The signatures this process has already verified, as fingerprints: SHA-256 over the algorithm, the public key, the
/// signature and the signed data (each length-prefixed). Verifying a signature is a pure function of those bytes, so a
/// fingerprint seen before gives the same answer without the public-key operation (about 50 µs for ECDSA P-256, 1 µs
/// for the fingerprint). Everything else about the RRSIG — validity period, signer, label count, key flags, the chain
/// of trust — is still checked on every answer; only the arithmetic is remembered. This is what lets a watch that
/// checks the same hosts every few minutes (<c>Invoke-DaneMonitor -Interval</c>) verify each signature once, as a
/// validating resolver's cache does. Only successes are kept; bounded by two generations of
/// <see cref="Generation"/> fingerprints (the older generation is dropped when the newer one fills).
/// </summary>
internal sealed class VerifiedSignatures
{
    public const int Generation = 16384;

    [ThreadStatic]
    private static IncrementalHash? _hash;

    private readonly object _gate = new();
    private ConcurrentDictionary<Fingerprint, byte> _current = new();
    private ConcurrentDictionary<Fingerprint, byte> _previous = new();
    private int _currentCount;
    private long _hits;

    /// <summary>The one per process, shared by every reader.</summary>
    public static VerifiedSignatures Shared { get; } = new();

    /// <summary>Fingerprints held (at most two generations).</summary>
    public int Count => _current.Count + _previous.Count;

    /// <summary>Verifications answered from memory.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    public static Fingerprint Of(byte algorithm, byte[] publicKey, byte[] data, byte[] signature)
    {
        var hash = _hash ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(new[] { algorithm, (byte)(publicKey.Length >> 8), (byte)publicKey.Length, (byte)(signature.Length >> 8), (byte)signature.Length });
        hash.AppendData(publicKey);
        hash.AppendData(signature);
        hash.AppendData(data);
        return new Fingerprint(hash.GetHashAndReset());
    }

    public bool Contains(Fingerprint fingerprint)
    {
        if (_current.ContainsKey(fingerprint) || _previous.ContainsKey(fingerprint))
        {
            Interlocked.Increment(ref _hits);
            return true;
        }

        return false;
    }

    public void Add(Fingerprint fingerprint)
    {
        var current = _current;
        if (!current.TryAdd(fingerprint, 0) || Interlocked.Increment(ref _currentCount) < Generation)
        {
            return;
        }

        lock (_gate)
        {
            if (ReferenceEquals(_current, current))
            {
                _previous = current;
                _current = new ConcurrentDictionary<Fingerprint, byte>();
                _currentCount = 0;
            }
        }
    }

    /// <summary>Forgets every fingerprint (for benchmarks that measure verification itself, and tests).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _current = new ConcurrentDictionary<Fingerprint, byte>();
            _previous = new ConcurrentDictionary<Fingerprint, byte>();
            _currentCount = 0;
        }
    }

    /// <summary>A SHA-256 value as four 64-bit words: cheap to hash and compare.</summary>
    internal readonly struct Fingerprint : IEquatable<Fingerprint>
    {
        private readonly ulong _a;
        private readonly ulong _b;
        private readonly ulong _c;
        private readonly ulong _d;

        public Fingerprint(byte[] sha256)
        {
            _a = BitConverter.ToUInt64(sha256, 0);
            _b = BitConverter.ToUInt64(sha256, 8);
            _c = BitConverter.ToUInt64(sha256, 16);
            _d = BitConverter.ToUInt64(sha256, 24);
        }

        public bool Equals(Fingerprint other) => _a == other._a && _b == other._b && _c == other._c && _d == other._d;

        public override bool Equals(object? obj) => obj is Fingerprint other && Equals(other);

        public override int GetHashCode() => (int)_a ^ (int)(_a >> 32);
    }
}
