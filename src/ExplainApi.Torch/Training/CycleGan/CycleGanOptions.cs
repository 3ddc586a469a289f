using System.Text.Json.Nodes;
using ExplainApi.Core.Models;
using ExplainApi.Core.Training;

namespace ExplainApi.Torch.Training.CycleGan;

/// <summary>
/// The options of a <c>cyclegan</c> job, read from the validated JSON. Defaults are the paper's (Zhu et al., ICCV 2017,
/// §4 and appendix 7) except the network widths and the length, which the <c>profile</c> sets: <c>cpu</c> (widths 16,
/// 2000 + 2000 steps) or <c>paper</c> (widths 64, 100 000 + 100 000 steps); an option given explicitly wins.
/// </summary>
/// <param name="ClassA">Class translated by G_A (null: the dataset's class 0); <paramref name="ClassB"/> likewise (class 1).</param>
/// <param name="DecayIterations">Steps of linear decay to 0 after <paramref name="Iterations"/> constant ones (default: as many).</param>
/// <param name="GeneratorBlocks">Residual blocks; 0 = the paper's rule (6 up to 128 px, 9 above).</param>
/// <param name="LambdaIdentity">Identity weight relative to <paramref name="LambdaCycle"/>, as the official --lambda_identity (0.5 × 10 = 5).</param>
/// <param name="ValidateEvery">Steps between validations (also after the last step); <paramref name="ValidationImages"/> per class at most.</param>
/// <param name="ClassifierVersion">Null: the classifier's latest version when training starts.</param>
/// <param name="Selection">What picks the kept generators among the validations: <see cref="SelectCycleL1"/>, <see cref="SelectFlipRate"/>
/// or <see cref="SelectFlipRatePerDirection"/> (both need the classifier).</param>
public sealed record CycleGanOptions(
    string? ClassA, string? ClassB, string Profile, int Iterations, int DecayIterations, int BatchSize,
    int GeneratorWidth, int GeneratorBlocks, bool TransposedConvolution, int DiscriminatorWidth, int DiscriminatorLayers,
    double LambdaCycle, double LambdaIdentity, double LearningRate, int PoolSize, int Seed,
    double ValidationFraction, int ValidateEvery, int ValidationImages, string? Classifier, int? ClassifierVersion, string Selection = CycleGanOptions.SelectCycleL1)
{
    public const string Cpu = "cpu", Paper = "paper";
    public const string SelectCycleL1 = "cycleL1", SelectFlipRate = "flipRate", SelectFlipRatePerDirection = "flipRatePerDirection";

    /// <summary>Per profile: generator width, discriminator width, iterations, validateEvery.</summary>
    private static readonly Dictionary<string, (int GeneratorWidth, int DiscriminatorWidth, int Iterations, int ValidateEvery)> Profiles = new(StringComparer.Ordinal)
    {
        [Cpu] = (16, 16, 2000, 250),
        [Paper] = (64, 64, 100_000, 5000),
    };

    private static readonly TrainerOptionSchema Schema = new TrainerOptionSchema()
        .Text("classA", null, IsClassName, "a class name of the dataset or null (class 0)")
        .Text("classB", null, IsClassName, "a class name of the dataset or null (class 1)")
        .Text("profile", Cpu, Profiles.ContainsKey, "\"cpu\" or \"paper\"")
        .WholeNumber("iterations", Profiles[Cpu].Iterations, 1, 10_000_000)
        .WholeNumber("decayIterations", Profiles[Cpu].Iterations, 0, 10_000_000)
        .WholeNumber("batchSize", 1, 1, 64)
        .WholeNumber("generatorWidth", Profiles[Cpu].GeneratorWidth, 1, 256)
        .WholeNumber("generatorBlocks", 0, 0, 16)
        .Boolean("transposedConvolution", false)
        .WholeNumber("discriminatorWidth", Profiles[Cpu].DiscriminatorWidth, 1, 256)
        .WholeNumber("discriminatorLayers", 3, 1, 5)
        .Number("lambdaCycle", 10, v => v is >= 0 and <= 1000, "from 0 to 1000")
        .Number("lambdaIdentity", 0.5, v => v is >= 0 and <= 100, "from 0 to 100")
        .Number("learningRate", 2e-4, v => v is > 0 and <= 1, "greater than 0 and at most 1")
        .WholeNumber("poolSize", 50, 0, 1000)
        .WholeNumber("seed", 1)
        .Number("validationFraction", 0.2, v => v is >= 0.05 and <= 0.5, "from 0.05 to 0.5")
        .WholeNumber("validateEvery", Profiles[Cpu].ValidateEvery, 1, 10_000_000)
        .WholeNumber("validationImages", 64, 1, 10_000)
        .ClassifierLink()
        .Text("selection", SelectCycleL1, v => v is SelectCycleL1 or SelectFlipRate or SelectFlipRatePerDirection,
            "\"cycleL1\", \"flipRate\" or \"flipRatePerDirection\" (the flip rates are the linked classifier's, so they need classifier)");

    /// <summary>Checks the options and completes them: schema defaults, then the profile's for the options not given.</summary>
    public static TrainerOptions Validate(JsonObject? options)
    {
        var validated = Schema.Validate(options);
        var values = validated.Values;
        if (validated.IsValid && Profiles.TryGetValue(TrainerOptionSchema.GetString(values, "profile")!, out var profile))
        {
            bool Given(string name) => options?.ContainsKey(name) == true;
            foreach (var (name, value) in new[] { ("generatorWidth", profile.GeneratorWidth), ("discriminatorWidth", profile.DiscriminatorWidth),
                ("iterations", profile.Iterations), ("validateEvery", profile.ValidateEvery) })
            {
                values[name] = Given(name) ? values[name]!.DeepClone() : value;
            }
            if (!Given("decayIterations"))
            {
                values["decayIterations"] = values["iterations"]!.DeepClone(); // "the same number of epochs" (§4)
            }
        }
        if (validated.IsValid && TrainerOptionSchema.GetString(values, "selection") is SelectFlipRate or SelectFlipRatePerDirection && TrainerOptionSchema.GetString(values, "classifier") is null)
        {
            return validated with { Errors = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["selection"] = $"selection \"{TrainerOptionSchema.GetString(values, "selection")}\" needs classifier: the flip rate is the linked classifier's.",
            } };
        }
        return validated;
    }

    /// <exception cref="ArgumentException">The options are invalid (the message lists every error).</exception>
    public static CycleGanOptions From(JsonObject? options)
    {
        var validated = Validate(options);
        if (!validated.IsValid)
        {
            throw new ArgumentException("Invalid cyclegan options: " + string.Join(" ", validated.Errors.Values), nameof(options));
        }
        var v = validated.Values;
        int Int(string name) => TrainerOptionSchema.GetInt(v, name);
        double Number(string name) => TrainerOptionSchema.GetDouble(v, name);
        return new CycleGanOptions(
            TrainerOptionSchema.GetString(v, "classA"), TrainerOptionSchema.GetString(v, "classB"), TrainerOptionSchema.GetString(v, "profile")!,
            Int("iterations"), Int("decayIterations"), Int("batchSize"), Int("generatorWidth"), Int("generatorBlocks"),
            TrainerOptionSchema.GetBool(v, "transposedConvolution"), Int("discriminatorWidth"), Int("discriminatorLayers"),
            Number("lambdaCycle"), Number("lambdaIdentity"), Number("learningRate"), Int("poolSize"), Int("seed"),
            Number("validationFraction"), Int("validateEvery"), Int("validationImages"), TrainerOptionSchema.GetString(v, "classifier"), TrainerOptionSchema.GetOptionalInt(v, "classifierVersion"),
            TrainerOptionSchema.GetString(v, "selection")!);
    }

    public int TotalSteps => Iterations + DecayIterations;

    /// <summary>The generator's residual blocks for an image size (the option, or the paper's rule when it is 0).</summary>
    public int BlocksFor(int height, int width) => GeneratorBlocks > 0 ? GeneratorBlocks : ResnetGenerator.PaperBlocks(height, width);

    public bool SelectsOnFlipRate => Selection is SelectFlipRate or SelectFlipRatePerDirection;

    /// <summary>Each generator kept at the validation of its own direction's highest flip rate: each is served alone.</summary>
    public bool SelectsPerDirection => Selection == SelectFlipRatePerDirection;

    /// <summary>Every option that shapes the run, for the checkpoint fingerprint (the classifier link does not; the trainer adds the judge when it selects).</summary>
    public string Fingerprint() => FormattableString.Invariant(
        $"a={ClassA} b={ClassB} it={Iterations}+{DecayIterations} batch={BatchSize} g={GeneratorWidth}x{GeneratorBlocks} tconv={TransposedConvolution} d={DiscriminatorWidth}x{DiscriminatorLayers} cyc={LambdaCycle:R} idt={LambdaIdentity:R} lr={LearningRate:R} pool={PoolSize} seed={Seed} val={ValidationFraction:R}/{ValidateEvery}/{ValidationImages}{(SelectsOnFlipRate ? $" sel={Selection}" : "")}");

    private static bool IsClassName(string name) => name.Length is > 0 and <= 200;
}
