using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Security;

namespace DanePS.Engine.Alerts;

/// <summary>
/// Removes secrets (tokens, webhook URLs, passwords) from any text before it leaves alerting: errors, verbose and
/// debug messages, delivery results. The secrets stay in their SecureStrings and are revealed only for the moment a
/// text is checked, in every form they could take in a message (as is, and URL-encoded; for a URL also its path).
/// </summary>
public sealed class SecretRedactor
{
    /// <summary>What a secret is replaced with.</summary>
    public const string Mask = "***";

    private readonly List<SecureString> _secrets;

    /// <summary>Creates a redactor for the given secrets.</summary>
    public SecretRedactor(IEnumerable<SecureString> secrets) => _secrets = secrets.Where(s => s.Length > 0).ToList();

    /// <summary>The text with every secret masked.</summary>
    public string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        var result = text!;
        foreach (var secret in _secrets)
        {
            foreach (var form in Forms(Reveal(secret)).OrderByDescending(f => f.Length))
            {
                result = result.Replace(form, Mask);
            }
        }

        return result;
    }

    /// <summary>An exception with the same shape (type name, message, inner chain) and every secret masked.</summary>
    public Exception Redact(Exception exception)
    {
        if (exception is null)
        {
            throw new ArgumentNullException(nameof(exception));
        }

        var inner = exception.InnerException is null ? null : Redact(exception.InnerException);
        return exception switch
        {
            AlertDeliveryException delivery => new AlertDeliveryException(Redact(delivery.Message), delivery.Attempts, delivery.Transient, inner),
            _ => new RedactedException(exception.GetType().FullName ?? exception.GetType().Name, Redact(exception.Message), inner),
        };
    }

    /// <summary>The plain text of a secret, for the moment it is sent.</summary>
    internal static string Reveal(SecureString secret) => new NetworkCredential(string.Empty, secret).Password;

    private static IEnumerable<string> Forms(string secret)
    {
        if (secret.Length == 0)
        {
            yield break;
        }

        yield return secret;
        var encoded = Uri.EscapeDataString(secret);
        if (encoded != secret)
        {
            yield return encoded;
        }

        if (Uri.TryCreate(secret, UriKind.Absolute, out var uri) && uri.PathAndQuery.Length > 1)
        {
            // A webhook's secret is its path; messages often show only that part.
            yield return uri.PathAndQuery;
            yield return uri.AbsolutePath.TrimStart('/');
        }
    }
}
