using System.Collections;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;

namespace Archiver.Hosting;

/// <summary>
/// Reports keys in Archiver's sections that no options property reads (a misspelt <c>BatchSiez</c>
/// would otherwise be ignored and the default used), naming where the key came from and the nearest
/// known key. The known keys are the options classes' own properties, so a new setting needs nothing here.
/// </summary>
public static class UnknownKeys
{
    public static void Check(IConfigurationRoot configuration, IEnumerable<KeyValuePair<string, Type>> sections)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(sections);
        var problems = new List<string>();
        foreach (var (name, type) in sections)
        {
            Walk(configuration, configuration.GetSection(name), type, problems);
        }

        if (problems.Count > 0)
        {
            throw new ArchiverConfigurationException("configuration error: " + string.Join("; ", problems));
        }
    }

    private static void Walk(IConfigurationRoot root, IConfigurationSection section, Type type, List<string> problems)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (IsLeaf(type) || typeof(IDictionary).IsAssignableFrom(type) || IsGenericDictionary(type))
        {
            return;
        }

        if (ElementType(type) is { } element)
        {
            foreach (var item in section.GetChildren())
            {
                Walk(root, item, element, problems);
            }

            return;
        }

        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && (p.CanWrite || !IsLeaf(p.PropertyType)))
            .ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var child in section.GetChildren())
        {
            if (properties.TryGetValue(child.Key, out var property))
            {
                Walk(root, child, property.PropertyType, problems);
                continue;
            }

            var nearest = properties.Keys.MinBy(k => Distance(k.ToUpperInvariant(), child.Key.ToUpperInvariant()));
            var hint = nearest is not null && Distance(nearest.ToUpperInvariant(), child.Key.ToUpperInvariant()) <= Math.Max(2, child.Key.Length / 3)
                ? $"; did you mean {section.Path}:{nearest}?"
                : $"; known keys: {string.Join(", ", properties.Keys.Order(StringComparer.Ordinal))}";
            problems.Add($"unknown key {child.Path} ({Source(root, child)}{hint})");
        }
    }

    private static bool IsLeaf(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan) || type == typeof(DateTime)
        || type == typeof(DateTimeOffset) || type == typeof(Uri) || type == typeof(Guid) || Nullable.GetUnderlyingType(type) is not null;

    private static bool IsGenericDictionary(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() is var d && (d == typeof(Dictionary<,>) || d == typeof(IDictionary<,>) || d == typeof(IReadOnlyDictionary<,>));

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.IsGenericType && type.GetGenericArguments().Length == 1 && typeof(IEnumerable).IsAssignableFrom(type) ? type.GetGenericArguments()[0]
        : null;

    /// <summary>Where a key was set: the file, or the environment variable's name.</summary>
    private static string Source(IConfigurationRoot root, IConfigurationSection key)
    {
        foreach (var provider in root.Providers.Reverse())
        {
            if (HasKeyOrChildren(provider, key.Path))
            {
                return provider switch
                {
                    JsonConfigurationProvider json => $"in {json.Source.FileProvider?.GetFileInfo(json.Source.Path ?? "").PhysicalPath ?? json.Source.Path}",
                    EnvironmentVariablesConfigurationProvider => $"from environment variable {key.Path.Replace(":", "__", StringComparison.Ordinal)}",
                    _ => "set in code",
                };
            }
        }

        return "set";
    }

    private static bool HasKeyOrChildren(IConfigurationProvider provider, string path) =>
        provider.TryGet(path, out _) || provider.GetChildKeys([], path).Any();

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
