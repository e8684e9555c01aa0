using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace DanePS.Engine.Dnssec;

/// <summary>
/// A domain name as labels of bytes, as on the wire (case kept). Equality and ordering are the DNSSEC canonical ones
/// (RFC 4034 §6.1: label by label from the right, each label compared as lower-cased bytes).
/// </summary>
internal sealed class DomainName : IEquatable<DomainName>, IComparable<DomainName>
{
    public static readonly DomainName Root = new(Array.Empty<byte[]>());

    private string? _key;

    public DomainName(IReadOnlyList<byte[]> labels)
    {
        Labels = labels;
    }

    /// <summary>Labels from the left (host) to the right (top-level domain); the root has none.</summary>
    public IReadOnlyList<byte[]> Labels { get; }

    public int LabelCount => Labels.Count;

    public bool IsRoot => Labels.Count == 0;

    /// <summary>Whether the leftmost label is "*" (a wildcard owner name).</summary>
    public bool IsWildcard => Labels.Count > 0 && Labels[0].Length == 1 && Labels[0][0] == (byte)'*';

    /// <summary>Lower-case presentation form with the trailing dot, used as a dictionary key.</summary>
    public string Key => _key ??= Presentation(lower: true);

    /// <summary>Parses "a.b.c." or "a.b.c" (presentation format, \. and \DDD escapes).</summary>
    public static DomainName Parse(string text)
    {
        var t = (text ?? throw new ArgumentNullException(nameof(text))).Trim();
        if (t.Length == 0 || t == ".")
        {
            return Root;
        }

        var labels = new List<byte[]>();
        var current = new List<byte>();
        for (var i = 0; i < t.Length; i++)
        {
            var c = t[i];
            if (c == '\\' && i + 1 < t.Length)
            {
                if (i + 3 < t.Length && char.IsDigit(t[i + 1]) && char.IsDigit(t[i + 2]) && char.IsDigit(t[i + 3]))
                {
                    current.Add((byte)int.Parse(t.Substring(i + 1, 3), NumberStyles.None, CultureInfo.InvariantCulture));
                    i += 3;
                }
                else
                {
                    current.Add((byte)t[++i]);
                }
            }
            else if (c == '.')
            {
                if (current.Count == 0)
                {
                    throw new FormatException($"'{text}' has an empty label.");
                }

                labels.Add(current.ToArray());
                current.Clear();
            }
            else
            {
                if (c > 0x7F)
                {
                    throw new FormatException($"'{text}' is not an ASCII (A-label) name.");
                }

                current.Add((byte)c);
            }
        }

        if (current.Count > 0)
        {
            labels.Add(current.ToArray());
        }

        if (labels.Any(l => l.Length > 63))
        {
            throw new FormatException($"'{text}' has a label longer than 63 bytes.");
        }

        return new DomainName(labels);
    }

    /// <summary>The name one label up; the root's parent is the root.</summary>
    public DomainName Parent() => IsRoot ? this : Suffix(Labels.Count - 1);

    /// <summary>The rightmost <paramref name="count"/> labels.</summary>
    public DomainName Suffix(int count)
    {
        if (count >= Labels.Count)
        {
            return this;
        }

        var labels = new byte[Math.Max(0, count)][];
        for (var i = 0; i < labels.Length; i++)
        {
            labels[i] = Labels[Labels.Count - labels.Length + i];
        }

        return new DomainName(labels);
    }

    /// <summary>"*." prepended.</summary>
    public DomainName Wildcard() => new(new[] { new[] { (byte)'*' } }.Concat(Labels).ToArray());

    /// <summary>Whether this name is <paramref name="zone"/> or below it.</summary>
    public bool IsAtOrBelow(DomainName zone)
    {
        if (zone.Labels.Count > Labels.Count)
        {
            return false;
        }

        var offset = Labels.Count - zone.Labels.Count;
        for (var i = 0; i < zone.Labels.Count; i++)
        {
            if (CompareLabel(Labels[offset + i], zone.Labels[i]) != 0)
            {
                return false;
            }
        }

        return true;
    }

    public bool IsBelow(DomainName zone) => Labels.Count > zone.Labels.Count && IsAtOrBelow(zone);

    /// <summary>Uncompressed wire form; lower-cased when <paramref name="canonical"/>.</summary>
    public byte[] ToWire(bool canonical = false)
    {
        var bytes = new byte[WireLength];
        var i = 0;
        foreach (var label in Labels)
        {
            bytes[i++] = (byte)label.Length;
            foreach (var b in label)
            {
                bytes[i++] = canonical ? Lower(b) : b;
            }
        }

        return bytes;
    }

    public int WireLength
    {
        get
        {
            var length = 1;
            for (var i = 0; i < Labels.Count; i++)
            {
                length += Labels[i].Length + 1;
            }

            return length;
        }
    }

    public override string ToString() => Presentation(lower: false);

    /// <summary>Presentation form with the trailing dot; lower-cased (ASCII) when <paramref name="lower"/>.</summary>
    private string Presentation(bool lower)
    {
        if (IsRoot)
        {
            return ".";
        }

        var text = new StringBuilder();
        foreach (var label in Labels)
        {
            foreach (var b in label)
            {
                if (b == '.' || b == '\\')
                {
                    text.Append('\\').Append((char)b);
                }
                else if (b <= 0x20 || b >= 0x7F)
                {
                    text.Append('\\').Append(((int)b).ToString("D3", CultureInfo.InvariantCulture));
                }
                else
                {
                    text.Append((char)(lower ? Lower(b) : b));
                }
            }

            text.Append('.');
        }

        return text.ToString();
    }

    public bool Equals(DomainName? other) => other is not null && CompareTo(other) == 0;

    public override bool Equals(object? obj) => obj is DomainName other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Key);

    /// <summary>Canonical DNS name order (RFC 4034 §6.1).</summary>
    public int CompareTo(DomainName? other)
    {
        if (other is null)
        {
            return 1;
        }

        var a = Labels.Count - 1;
        var b = other.Labels.Count - 1;
        while (a >= 0 && b >= 0)
        {
            var c = CompareLabel(Labels[a--], other.Labels[b--]);
            if (c != 0)
            {
                return c;
            }
        }

        return a.CompareTo(b);
    }

    internal static byte Lower(byte b) => b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b + 32) : b;

    private static int CompareLabel(byte[] x, byte[] y)
    {
        var n = Math.Min(x.Length, y.Length);
        for (var i = 0; i < n; i++)
        {
            var c = Lower(x[i]).CompareTo(Lower(y[i]));
            if (c != 0)
            {
                return c;
            }
        }

        return x.Length.CompareTo(y.Length);
    }
}
