using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ExplainApi.Core.Models;
using ExplainApi.Core.Training;

namespace ExplainApi.Torch.Training;

/// <summary>
/// The options a trainer accepts: each a JSON integer or number with a default and an allowed range, a JSON boolean,
/// or a JSON string from an allowed set; an optional field (no default) may be absent or null.
/// <see cref="Validate"/> implements <see cref="ITrainer.ValidateOptions"/>: unknown fields, wrong JSON
/// types and out-of-range values become errors keyed by field name, and defaults are filled in.
/// </summary>
public sealed class TrainerOptionSchema
{
    private readonly List<Field> _fields = [];
    private readonly List<(string Name, string Needs)> _needs = [];

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

    /// <summary>An integer in [<paramref name="min"/>, <paramref name="max"/>], or null (absent).</summary>
    public TrainerOptionSchema OptionalWholeNumber(string name, int min, int max)
    {
        _fields.Add(new Field(name, true, null, v => v >= min && v <= max, $"an integer from {min} to {max}, or null"));
        return this;
    }

    /// <summary>A number in the range <paramref name="isAllowed"/> checks, or null (absent: the trainer picks a value, e.g. from a profile).</summary>
    public TrainerOptionSchema OptionalNumber(string name, Func<double, bool> isAllowed, string range)
    {
        _fields.Add(new Field(name, false, null, v => double.IsFinite(v) && isAllowed(v), $"a number {range}, or null"));
        return this;
    }

    /// <summary>A JSON string that <paramref name="isAllowed"/> accepts, described by <paramref name="description"/>; a null default makes it optional.</summary>
    public TrainerOptionSchema Text(string name, string? defaultValue, Func<string, bool> isAllowed, string description)
    {
        _fields.Add(new Field(name, false, null, _ => true, description, TextDefault: defaultValue, IsAllowedText: isAllowed));
        return this;
    }

    /// <summary>A JSON <c>true</c> or <c>false</c>.</summary>
    public TrainerOptionSchema Boolean(string name, bool defaultValue)
    {
        _fields.Add(new Field(name, false, defaultValue ? 1 : 0, _ => true, "true or false", IsBoolean: true));
        return this;
    }

    /// <summary>
    /// The registered classifier a trained model explains: <c>classifier</c> (a model name, or null for none) and
    /// <c>classifierVersion</c> (null: the latest when training starts), which needs <c>classifier</c>.
    /// </summary>
    public TrainerOptionSchema ClassifierLink()
    {
        Text("classifier", null, ModelName.IsValid, "the name of a registered classification model, or null");
        OptionalWholeNumber("classifierVersion", 1, int.MaxValue);
        _needs.Add(("classifierVersion", "classifier"));
        return this;
    }

    public TrainerOptions Validate(JsonObject? options)
    {
        var values = new JsonObject();
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, _) in options ?? [])
        {
            if (!_fields.Exists(f => f.Name == name))
            {
                errors[name] = $"Unknown option '{name}'. Allowed options: {string.Join(", ", _fields.Select(f => f.Name))}.";
            }
        }

        foreach (var field in _fields)
        {
            if (options is null || !options.TryGetPropertyValue(field.Name, out var node) || (node is null && field.IsOptional))
            {
                values[field.Name] = Default(field);
            }
            else if (field.IsAllowedText is not null)
            {
                if (node is JsonValue text && text.GetValueKind() == JsonValueKind.String && field.IsAllowedText(text.GetValue<string>()))
                {
                    values[field.Name] = text.GetValue<string>();
                }
                else
                {
                    errors[field.Name] = $"{field.Name} must be {field.Description}{DefaultText(field)}.";
                }
            }
            else if (Read(node, field) is { } value && field.IsAllowed(value))
            {
                values[field.Name] = Json(field, value);
            }
            else
            {
                errors[field.Name] = $"{field.Name} must be {field.Description}{DefaultText(field)}.";
            }
        }
        foreach (var (name, needs) in _needs)
        {
            if (values[name] is not null && values[needs] is null && !errors.ContainsKey(needs))
            {
                errors[name] = $"{name} needs {needs}.";
            }
        }
        return new TrainerOptions(values, errors);
    }

    /// <summary>Reads a completed option (after <see cref="Validate"/>).</summary>
    public static int GetInt(JsonObject values, string name) => values[name]!.GetValue<int>();

    public static double GetDouble(JsonObject values, string name) => values[name]!.GetValue<double>();

    public static bool GetBool(JsonObject values, string name) => values[name]!.GetValue<bool>();

    public static int? GetOptionalInt(JsonObject values, string name) => values[name]?.GetValue<int>();

    public static double? GetOptionalDouble(JsonObject values, string name) => values[name]?.GetValue<double>();

    public static string? GetString(JsonObject values, string name) => values[name]?.GetValue<string>();

    private static JsonValue? Default(Field field) =>
        field.IsAllowedText is not null ? (field.TextDefault is null ? null : JsonValue.Create(field.TextDefault))
        : field.Default is { } value ? Json(field, value) : null;

    private static string DefaultText(Field field) =>
        Default(field) is { } value ? $" (default {value.ToJsonString()})" : " (optional)";

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

    private sealed record Field(string Name, bool IsInteger, double? Default, Func<double, bool> IsAllowed, string Description, bool IsBoolean = false,
        string? TextDefault = null, Func<string, bool>? IsAllowedText = null)
    {
        public bool IsOptional => IsAllowedText is null ? Default is null : TextDefault is null;
    }
}
