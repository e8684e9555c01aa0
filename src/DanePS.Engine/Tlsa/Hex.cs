using System;
using System.Text;

namespace DanePS.Engine.Tlsa;

/// <summary>Hexadecimal as DNS tools print TLSA data: upper case, no separators.</summary>
internal static class Hex
{
    public static string Encode(byte[] data)
    {
        var sb = new StringBuilder(data.Length * 2);
        foreach (var b in data)
        {
            sb.Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }

    /// <summary>Decodes hex, ignoring white space (dig splits long data into groups).</summary>
    public static bool TryDecode(string text, out byte[] data, out string? error)
    {
        var digits = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                continue;
            }

            if (!Uri.IsHexDigit(c))
            {
                data = Array.Empty<byte>();
                error = $"'{c}' is not a hexadecimal digit";
                return false;
            }

            digits.Append(c);
        }

        if (digits.Length % 2 != 0)
        {
            data = Array.Empty<byte>();
            error = "the hexadecimal data has an odd number of digits";
            return false;
        }

        data = new byte[digits.Length / 2];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (byte)((Uri.FromHex(digits[2 * i]) << 4) | Uri.FromHex(digits[(2 * i) + 1]));
        }

        error = null;
        return true;
    }
}
