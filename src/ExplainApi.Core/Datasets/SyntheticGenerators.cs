namespace ExplainApi.Core.Datasets;

/// <summary>
/// One integer parameter of a synthetic generator, with its default and inclusive range. A parameter with
/// <see cref="Choices"/> is written as one of their names (e.g. <c>background=noise</c>) and given to the
/// generator as the name's index.
/// </summary>
public sealed record SyntheticParameter(string Name, string Description, long Default, long Min, long Max, IReadOnlyList<string>? Choices = null)
{
    /// <summary>A parameter that takes one of <paramref name="choices"/> by name.</summary>
    public static SyntheticParameter Choice(string name, string description, IReadOnlyList<string> choices, int defaultIndex) =>
        new(name, $"{description} One of: {string.Join(", ", choices)}.", defaultIndex, 0, choices.Count - 1, choices);

    /// <summary>The value as a reference writes it: the choice's name, else the integer.</summary>
    public string Format(long value) =>
        Choices is null ? value.ToString(System.Globalization.CultureInfo.InvariantCulture) : Choices[(int)value];
}

/// <summary>
/// A built-in dataset generator, named in references as <c>synthetic:NAME?param=value&amp;…</c>
/// (METHODS.md §5). Parameters are integers (a fraction would be given in per cent).
/// </summary>
public interface ISyntheticGenerator
{
    string Name { get; }

    string Description { get; }

    IReadOnlyList<SyntheticParameter> Parameters { get; }

    /// <summary>
    /// Builds the dataset from every parameter (defaults filled in, each within its range; a choice as its index).
    /// </summary>
    /// <exception cref="DatasetReferenceException">A rule across parameters fails (e.g. an odd count).</exception>
    IDataset Create(IReadOnlyDictionary<string, long> arguments);
}

/// <summary>The VA-GAN squares (<see cref="SquaresDataset"/>).</summary>
public sealed class SquaresGenerator : ISyntheticGenerator
{
    public string Name => SquaresDataset.GeneratorName;

    public string Description =>
        "VA-GAN synthetic squares: smooth noise; class 1 adds a central box and one jittered corner box (subtype A or B); mask = the boxes.";

    public IReadOnlyList<SyntheticParameter> Parameters { get; } =
    [
        new("n", "Number of images, even: half class 0, class 1 split evenly between subtypes A and B.",
            SquaresDataset.DefaultCount, SquaresDataset.MinCount, SquaresDataset.MaxCount),
        new("size", "Image side in pixels; box geometry scales with it (reference: 112).",
            SquaresDataset.DefaultSize, SquaresDataset.MinSize, SquaresDataset.MaxSize),
        new("seed", "Random seed; the same seed and index always give the same image.", SquaresDataset.DefaultSeed, 0, int.MaxValue),
    ];

    public IDataset Create(IReadOnlyDictionary<string, long> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var n = (int)arguments["n"];
        if (n % 2 != 0)
        {
            throw new DatasetReferenceException($"n={n} must be even: the squares classes are balanced 50/50.");
        }

        return new SquaresDataset(n, (int)arguments["size"], (int)arguments["seed"]);
    }
}

/// <summary>The generators a reference may name (<c>squares</c>, <c>brain-atrophy</c>, <c>lesions</c>).</summary>
public sealed class SyntheticGeneratorRegistry
{
    private readonly Dictionary<string, ISyntheticGenerator> _generators;

    public SyntheticGeneratorRegistry(IEnumerable<ISyntheticGenerator> generators)
    {
        ArgumentNullException.ThrowIfNull(generators);
        _generators = generators.ToDictionary(g => g.Name, StringComparer.Ordinal);
    }

    /// <summary>Every built-in generator.</summary>
    public static SyntheticGeneratorRegistry BuiltIn() => new([new SquaresGenerator(), new Brain.BrainAtrophyGenerator(), new Lesions.LesionsGenerator()]);

    public IReadOnlyList<ISyntheticGenerator> Generators => [.. _generators.Values.OrderBy(g => g.Name, StringComparer.Ordinal)];

    /// <summary>Builds the dataset a parsed reference names, checking every parameter strictly.</summary>
    /// <exception cref="DatasetReferenceException">Unknown generator or parameter, a value that is not an integer or out of range.</exception>
    public IDataset Create(SyntheticReference reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (!_generators.TryGetValue(reference.Generator, out var generator))
        {
            throw new DatasetReferenceException(
                $"Unknown synthetic generator '{reference.Generator}'; known: {string.Join(", ", _generators.Keys.Order(StringComparer.Ordinal))}.");
        }

        var arguments = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (name, text) in reference.Arguments)
        {
            var parameter = generator.Parameters.FirstOrDefault(p => p.Name == name)
                ?? throw new DatasetReferenceException(
                    $"Unknown parameter '{name}' for synthetic:{generator.Name}; known: {string.Join(", ", generator.Parameters.Select(p => p.Name))}.");
            arguments[name] = ParseValue(generator.Name, parameter, text);
        }

        foreach (var parameter in generator.Parameters)
        {
            arguments.TryAdd(parameter.Name, parameter.Default);
        }

        return generator.Create(arguments);
    }

    // Digits with an optional leading minus only: no spaces, '+', exponents or thousands separators.
    private static long ParseValue(string generator, SyntheticParameter parameter, string text)
    {
        if (parameter.Choices is { } choices)
        {
            var index = choices.ToList().IndexOf(text);
            return index >= 0 ? index
                : throw new DatasetReferenceException($"synthetic:{generator}: {parameter.Name}='{text}' is not one of {string.Join(", ", choices)}.");
        }

        var digits = text.StartsWith('-') ? text[1..] : text;
        if (digits.Length == 0 || digits.Length > 18 || !digits.All(char.IsAsciiDigit))
        {
            throw new DatasetReferenceException($"synthetic:{generator}: {parameter.Name}='{text}' is not an integer.");
        }

        var value = long.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        if (value < parameter.Min || value > parameter.Max)
        {
            throw new DatasetReferenceException(
                $"synthetic:{generator}: {parameter.Name}={value} is out of range [{parameter.Min}, {parameter.Max}].");
        }

        return value;
    }
}
