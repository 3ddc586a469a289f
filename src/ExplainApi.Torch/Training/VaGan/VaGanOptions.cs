using System.Globalization;
using System.Text.Json.Nodes;
using ExplainApi.Core.Training;

namespace ExplainApi.Torch.Training.VaGan;

/// <summary>
/// The options of a <c>vagan</c> job (METHODS.md §2; defaults are the official code's). Widths are multiples of the
/// paper's (16 for the first level of both networks); absent, they come from <paramref name="Profile"/>:
/// <c>cpu</c> (¼ of the paper's, fast on two cores) or <c>paper</c> (1).
/// </summary>
/// <param name="FromClass">Class translated from (the class with the evidence); null: the dataset's class 1.</param>
/// <param name="ToClass">Class translated to; null: the dataset's class 0.</param>
/// <param name="Iterations">Generator steps.</param>
/// <param name="CriticSteps">Critic steps per generator step, except <paramref name="WarmupCriticSteps"/> in the first
/// <paramref name="WarmupSteps"/> generator steps and every 100th (the official schedule: 5, 100, 25).</param>
/// <param name="ValidateEvery">Generator steps between validations (and model selection on the validation images).</param>
/// <param name="Classifier">A registered classification model this difference map explains (its name), or null.</param>
public sealed record VaGanOptions(
    string? FromClass, string? ToClass, int Iterations, int BatchSize, double GeneratorWidth, double CriticWidth,
    int CriticSteps, int WarmupCriticSteps, int WarmupSteps, double L1Weight, double GpWeight, double LearningRate,
    int Seed, double ValidationFraction, int ValidateEvery, string Profile, string? Classifier, int? ClassifierVersion)
{
    public const string CpuProfile = "cpu", PaperProfile = "paper";

    /// <summary>The paper's width of the first level of the generator and of the critic.</summary>
    public const int PaperWidth = 16;

    /// <summary>Width multiples of the cpu profile.</summary>
    public const double CpuWidth = 0.25;

    public static TrainerOptionSchema Schema { get; } = new TrainerOptionSchema()
        .Text("fromClass", null, s => s.Length > 0, "a class name of the dataset")
        .Text("toClass", null, s => s.Length > 0, "a class name of the dataset")
        .WholeNumber("iterations", 2000, 1, 1_000_000)
        .WholeNumber("batchSize", 32, 1, 1024)
        .OptionalNumber("generatorWidth", v => v is >= 0.0625 and <= 4, "from 0.0625 to 4 (times the paper's widths)")
        .OptionalNumber("criticWidth", v => v is >= 0.0625 and <= 4, "from 0.0625 to 4 (times the paper's widths)")
        .WholeNumber("criticSteps", 5, 1, 1000)
        .WholeNumber("warmupCriticSteps", 100, 1, 1000)
        .WholeNumber("warmupSteps", 25, 0, 1_000_000)
        .Number("l1Weight", 100, v => v >= 0, "of at least 0")
        .Number("gpWeight", 10, v => v >= 0, "of at least 0")
        .Number("learningRate", 1e-4, v => v is > 0 and <= 1, "greater than 0 and at most 1")
        .WholeNumber("seed", 1)
        .Number("validationFraction", 0.2, v => v is >= 0.05 and <= 0.5, "from 0.05 to 0.5")
        .WholeNumber("validateEvery", 100, 1, 1_000_000)
        .Text("profile", CpuProfile, s => s is CpuProfile or PaperProfile, $"\"{CpuProfile}\" or \"{PaperProfile}\"")
        .ClassifierLink();

    /// <summary>Validates and completes the options; absent widths become the profile's, so the stored options say what ran.</summary>
    public static TrainerOptions Validate(JsonObject? options)
    {
        var validated = Schema.Validate(options);
        var values = validated.Values;
        var errors = new Dictionary<string, string>(validated.Errors, StringComparer.Ordinal);
        if (validated.IsValid)
        {
            var profileWidth = TrainerOptionSchema.GetString(values, "profile") == PaperProfile ? 1.0 : CpuWidth;
            foreach (var name in new[] { "generatorWidth", "criticWidth" })
            {
                values[name] ??= JsonValue.Create(profileWidth);
            }
        }
        if (TrainerOptionSchema.GetString(values, "fromClass") is { } from && from == TrainerOptionSchema.GetString(values, "toClass"))
        {
            errors["toClass"] = "toClass must differ from fromClass.";
        }
        return new TrainerOptions(values, errors);
    }

    /// <exception cref="ArgumentException">The options are invalid (the message lists every error).</exception>
    public static VaGanOptions From(JsonObject? options)
    {
        var validated = Validate(options);
        if (!validated.IsValid)
        {
            throw new ArgumentException("Invalid vagan options: " + string.Join(" ", validated.Errors.Values), nameof(options));
        }
        var v = validated.Values;
        return new VaGanOptions(
            TrainerOptionSchema.GetString(v, "fromClass"), TrainerOptionSchema.GetString(v, "toClass"),
            TrainerOptionSchema.GetInt(v, "iterations"), TrainerOptionSchema.GetInt(v, "batchSize"),
            TrainerOptionSchema.GetDouble(v, "generatorWidth"), TrainerOptionSchema.GetDouble(v, "criticWidth"),
            TrainerOptionSchema.GetInt(v, "criticSteps"), TrainerOptionSchema.GetInt(v, "warmupCriticSteps"), TrainerOptionSchema.GetInt(v, "warmupSteps"),
            TrainerOptionSchema.GetDouble(v, "l1Weight"), TrainerOptionSchema.GetDouble(v, "gpWeight"), TrainerOptionSchema.GetDouble(v, "learningRate"),
            TrainerOptionSchema.GetInt(v, "seed"), TrainerOptionSchema.GetDouble(v, "validationFraction"), TrainerOptionSchema.GetInt(v, "validateEvery"),
            TrainerOptionSchema.GetString(v, "profile")!, TrainerOptionSchema.GetString(v, "classifier"), TrainerOptionSchema.GetOptionalInt(v, "classifierVersion"));
    }

    /// <summary>Channels of the first level of a network with width multiple <paramref name="multiple"/>.</summary>
    public static int Channels(double multiple) => Math.Max(1, (int)Math.Round(PaperWidth * multiple));

    /// <summary>Critic steps before generator step <paramref name="step"/> (0-based): the official schedule.</summary>
    public int CriticStepsAt(long step) => step < WarmupSteps || step % 100 == 0 ? WarmupCriticSteps : CriticSteps;

    /// <summary>How many of the <paramref name="count"/> generator steps from <paramref name="first"/> take each number of
    /// critic steps: what the schedule costs over a stretch of a run (e.g. {100: 1, 5: 99} for steps 100–199).</summary>
    public IReadOnlyDictionary<int, int> CriticStepCounts(long first, int count) =>
        Enumerable.Range(0, count).Select(i => CriticStepsAt(first + i)).CountBy(c => c).ToDictionary();

    /// <summary>Everything that changes what is trained, for the checkpoint fingerprint (the classifier link does not).</summary>
    public string Fingerprint() =>
        string.Create(CultureInfo.InvariantCulture,
            $"from={FromClass} to={ToClass} it={Iterations} batch={BatchSize} gw={GeneratorWidth:R} cw={CriticWidth:R} critic={CriticSteps}/{WarmupCriticSteps}/{WarmupSteps} "
            + $"l1={L1Weight:R} gp={GpWeight:R} lr={LearningRate:R} seed={Seed} val={ValidationFraction:R} every={ValidateEvery}");
}
