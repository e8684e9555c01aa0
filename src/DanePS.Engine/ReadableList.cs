using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;

namespace DanePS.Engine;

/// <summary>
/// A read-only list of result items whose text form lists the items ("3 1 1 5E79…, 3 1 1 8C2A…"), not the list's
/// type name: Export-Csv and string conversion write what the list holds, while ConvertTo-Json and scripts see
/// the items. Every list a DanePS result exposes is one.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed class ReadableList<T> : ReadOnlyCollection<T>
{
    private readonly string _separator;

    /// <summary>Wraps <paramref name="items"/> (a live view: items the engine adds later show).</summary>
    public ReadableList(IList<T> items)
        : this(items, ", ")
    {
    }

    /// <summary>Wraps <paramref name="items"/>, joined by <paramref name="separator"/> in the text form.</summary>
    public ReadableList(IList<T> items, string separator)
        : base(items ?? throw new ArgumentNullException(nameof(items)))
    {
        _separator = separator ?? throw new ArgumentNullException(nameof(separator));
    }

    /// <summary>The items' text, joined by ", " (findings, whose messages hold commas, by a line break).</summary>
    public override string ToString() => string.Join(_separator, this.Select(i => i?.ToString()));
}

/// <summary>Makes <see cref="ReadableList{T}"/> instances.</summary>
internal static class ReadableList
{
    /// <summary>An empty list.</summary>
    public static ReadableList<T> Empty<T>() => new(Array.Empty<T>());

    /// <summary>A copy of <paramref name="items"/> as a readable list.</summary>
    public static ReadableList<T> Of<T>(IEnumerable<T> items, string separator = ", ") => new(items.ToList(), separator);

    /// <summary>Wraps a list made for the purpose as a readable list.</summary>
    public static ReadableList<T> AsReadable<T>(this List<T> items) => new(items);
}
