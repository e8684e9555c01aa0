using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace DanePS.Engine.Providers.Cloudflare;

/// <summary>
/// The little JSON the Cloudflare API speaks, parsed with limits. Why not System.Text.Json: on netstandard2.0 it
/// would ship six more assemblies in Dependencies/ (System.Memory, Bcl.AsyncInterfaces, Text.Encodings.Web, …) into
/// the module's load context on PowerShell 7 and beside it on Windows PowerShell 5.1, for four fields per response.
/// </summary>
internal sealed class JsonValue
{
    private const int MaxDepth = 32;

    private JsonValue(object? value) => Value = value;

    /// <summary>null, bool, double, string, List&lt;JsonValue&gt; or Dictionary&lt;string, JsonValue&gt;.</summary>
    public object? Value { get; }

    public JsonValue? this[string name] => Value is Dictionary<string, JsonValue> o && o.TryGetValue(name, out var v) ? v : null;

    public IReadOnlyList<JsonValue> Items => Value as List<JsonValue> ?? new List<JsonValue>();

    public string? AsString => Value switch
    {
        string s => s,
        double d => d.ToString(CultureInfo.InvariantCulture),
        _ => null,
    };

    public int? AsInt => Value is double d && d >= int.MinValue && d <= int.MaxValue ? (int)d : null;

    public bool? AsBool => Value as bool?;

    public static JsonValue Parse(string text)
    {
        var parser = new Parser(text ?? throw new ArgumentNullException(nameof(text)));
        var value = parser.ReadValue(0);
        parser.SkipSpace();
        if (!parser.AtEnd)
        {
            throw new FormatException("Unexpected text after the JSON value.");
        }

        return value;
    }

    /// <summary>A JSON string literal, quotes included.</summary>
    public static string Quote(string text)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < 0x20)
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.Append('"').ToString();
    }

    private sealed class Parser
    {
        private readonly string _text;
        private int _at;

        public Parser(string text) => _text = text;

        public bool AtEnd => _at >= _text.Length;

        public void SkipSpace()
        {
            while (_at < _text.Length && char.IsWhiteSpace(_text[_at]))
            {
                _at++;
            }
        }

        public JsonValue ReadValue(int depth)
        {
            if (depth > MaxDepth)
            {
                throw new FormatException("JSON nested too deeply.");
            }

            SkipSpace();
            if (AtEnd)
            {
                throw new FormatException("JSON ends too early.");
            }

            switch (_text[_at])
            {
                case '{':
                    _at++;
                    var obj = new Dictionary<string, JsonValue>(StringComparer.Ordinal);
                    SkipSpace();
                    if (Peek('}'))
                    {
                        return new JsonValue(obj);
                    }

                    do
                    {
                        SkipSpace();
                        var name = ReadString();
                        SkipSpace();
                        Expect(':');
                        obj[name] = ReadValue(depth + 1);
                        SkipSpace();
                    }
                    while (Peek(','));
                    Expect('}');
                    return new JsonValue(obj);
                case '[':
                    _at++;
                    var list = new List<JsonValue>();
                    SkipSpace();
                    if (Peek(']'))
                    {
                        return new JsonValue(list);
                    }

                    do
                    {
                        list.Add(ReadValue(depth + 1));
                        SkipSpace();
                    }
                    while (Peek(','));
                    Expect(']');
                    return new JsonValue(list);
                case '"':
                    return new JsonValue(ReadString());
                case 't':
                    return Literal("true", true);
                case 'f':
                    return Literal("false", false);
                case 'n':
                    return Literal("null", null);
                default:
                    var start = _at;
                    while (_at < _text.Length && "+-0123456789.eE".IndexOf(_text[_at]) >= 0)
                    {
                        _at++;
                    }

                    if (start == _at || !double.TryParse(_text.Substring(start, _at - start), NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                    {
                        throw new FormatException($"Unexpected character '{_text[start]}' in JSON.");
                    }

                    return new JsonValue(number);
            }
        }

        private JsonValue Literal(string word, object? value)
        {
            if (string.CompareOrdinal(_text, _at, word, 0, word.Length) != 0)
            {
                throw new FormatException("Unexpected word in JSON.");
            }

            _at += word.Length;
            return new JsonValue(value);
        }

        private bool Peek(char c)
        {
            if (_at < _text.Length && _text[_at] == c)
            {
                _at++;
                return true;
            }

            return false;
        }

        private void Expect(char c)
        {
            if (!Peek(c))
            {
                throw new FormatException($"Expected '{c}' in JSON.");
            }
        }

        private string ReadString()
        {
            Expect('"');
            var sb = new StringBuilder();
            while (true)
            {
                if (AtEnd)
                {
                    throw new FormatException("Unterminated JSON string.");
                }

                var c = _text[_at++];
                if (c == '"')
                {
                    return sb.ToString();
                }

                if (c != '\\')
                {
                    sb.Append(c);
                    continue;
                }

                if (AtEnd)
                {
                    throw new FormatException("Unterminated JSON escape.");
                }

                var e = _text[_at++];
                switch (e)
                {
                    case 'n': sb.Append('\n'); break;
                    case 'r': sb.Append('\r'); break;
                    case 't': sb.Append('\t'); break;
                    case 'b': sb.Append('\b'); break;
                    case 'f': sb.Append('\f'); break;
                    case 'u':
                        if (_at + 4 > _text.Length || !int.TryParse(_text.Substring(_at, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
                        {
                            throw new FormatException("Bad \\u escape in JSON.");
                        }

                        sb.Append((char)code);
                        _at += 4;
                        break;
                    default: sb.Append(e); break;
                }
            }
        }
    }

    public override string ToString() => Value switch
    {
        null => "null",
        string s => Quote(s),
        bool b => b ? "true" : "false",
        double d => d.ToString(CultureInfo.InvariantCulture),
        List<JsonValue> l => "[" + string.Join(",", l.Select(v => v.ToString())) + "]",
        Dictionary<string, JsonValue> o => "{" + string.Join(",", o.Select(kv => Quote(kv.Key) + ":" + kv.Value)) + "}",
        _ => string.Empty,
    };
}
