using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ExplainApi.Core.Training;

namespace ExplainApi.Torch.Training;

/// <summary>
/// The options a trainer accepts: each a JSON integer or number with a default and an allowed range, a JSON boolean, or a JSON string.
/// <see cref="Validate"/> implements <see cref="ITrainer.ValidateOptions"/>: unknown fields, wrong JSON
/// types and out-of-range values become errors keyed by field name, and defaults are filled in.
/// </summary>
public sealed class TrainerOptionSchema
{
    private readonly List<Field> _fields = [];
    private readonly List<TextField> _texts = [];

    /// <summary>An integer in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public TrainerOptionSchema WholeNumber(string name, int defaultValue, int min = int.MinValue, int max = int.MaxValue)
    {
        var range = (min, max) switch
        {
            (int.MinValue, int.MaxValue) => "an integer",
            (_, int.MaxValue) => $"an integer of at least {min}",
            _ => $"an integer from {min} to {max}",
        };
        _fields.Add(new Field(name, true, defaultValue, v => v >= min && v <= max, range));
        return this;
    }

    /// <summary>A finite number in the range <paramref name="isAllowed"/> checks, described by <paramref name="range"/> (e.g. "greater than 0 and at most 10").</summary>
    public TrainerOptionSchema Number(string name, double defaultValue, Func<double, bool> isAllowed, string range)
    {
        _fields.Add(new Field(name, false, defaultValue, v => double.IsFinite(v) && isAllowed(v), $"a number {range}"));
        return this;
    }

    /// <summary>A JSON <c>true</c> or <c>false</c>.</summary>
    public TrainerOptionSchema Boolean(string name, bool defaultValue)
    {
        _fields.Add(new Field(name, false, defaultValue ? 1 : 0, _ => true, "true or false", IsBoolean: true));
        return this;
    }

    /// <summary>A JSON string that <paramref name="isAllowed"/> accepts, or JSON null; the default may be null ("not set").</summary>
    public TrainerOptionSchema Text(string name, string? defaultValue, Func<string, bool> isAllowed, string description)
    {
        _texts.Add(new TextField(name, defaultValue, isAllowed, description));
        return this;
    }

    public TrainerOptions Validate(JsonObject? options)
    {
        var values = new JsonObject();
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, _) in options ?? [])
        {
            if (!_fields.Exists(f => f.Name == name) && !_texts.Exists(f => f.Name == name))
            {
                errors[name] = $"Unknown option '{name}'. Allowed options: {string.Join(", ", _fields.Select(f => f.Name).Concat(_texts.Select(f => f.Name)))}.";
            }
        }

        foreach (var field in _fields)
        {
            if (options is null || !options.TryGetPropertyValue(field.Name, out var node))
            {
                values[field.Name] = Json(field, field.Default);
            }
            else if (Read(node, field) is { } value && field.IsAllowed(value))
            {
                values[field.Name] = Json(field, value);
            }
            else
            {
                errors[field.Name] = $"{field.Name} must be {field.Description} (default {Json(field, field.Default).ToJsonString()}).";
            }
        }
        foreach (var field in _texts)
        {
            if (options is null || !options.TryGetPropertyValue(field.Name, out var node))
            {
                values[field.Name] = field.Default;
            }
            else if (node is null || node is JsonValue text && text.GetValueKind() == JsonValueKind.String && field.IsAllowed(text.GetValue<string>()))
            {
                values[field.Name] = node?.GetValue<string>();
            }
            else
            {
                errors[field.Name] = $"{field.Name} must be {field.Description} (default {field.Default ?? "null"}).";
            }
        }
        return new TrainerOptions(values, errors);
    }

    /// <summary>Reads a completed option (after <see cref="Validate"/>).</summary>
    public static int GetInt(JsonObject values, string name) => values[name]!.GetValue<int>();

    public static double GetDouble(JsonObject values, string name) => values[name]!.GetValue<double>();

    public static bool GetBool(JsonObject values, string name) => values[name]!.GetValue<bool>();

    public static string? GetText(JsonObject values, string name) => values[name]?.GetValue<string>();

    private static JsonValue Json(Field field, double value) =>
        field.IsBoolean ? JsonValue.Create(value != 0) : field.IsInteger ? JsonValue.Create((int)value) : JsonValue.Create(value);

    private static double? Read(JsonNode? node, Field field)
    {
        if (field.IsBoolean)
        {
            return node is JsonValue flag && flag.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? (flag.GetValue<bool>() ? 1 : 0) : null;
        }
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.Number
            || !double.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return null; // the JSON text is the one reading that works whatever CLR type backs the value
        }
        return !field.IsInteger || (number == Math.Floor(number) && number is >= int.MinValue and <= int.MaxValue) ? number : null;
    }

    private sealed record TextField(string Name, string? Default, Func<string, bool> IsAllowed, string Description);

    private sealed record Field(string Name, bool IsInteger, double Default, Func<double, bool> IsAllowed, string Description, bool IsBoolean = false);
}
