using System.Globalization;
using System.Text.Json.Nodes;
using ExplainApi.Core.Datasets;
using ExplainApi.Core.Training;

namespace ExplainApi.Torch.Training.Classifier;

/// <summary>The options of a <c>classifier</c> job (a <see cref="ResNetClassifier"/> trained with Adam), read from the validated JSON.</summary>
/// <param name="EarlyStoppingPatience">Epochs without a lower validation loss before training stops; 0 never stops early.</param>
/// <param name="Augmentation">Random horizontal flips and shifts of up to ±4 px (see <see cref="BatchAugmentation"/>).</param>
/// <param name="StemStride">Stride of the stem convolution (see <see cref="ResNetClassifier"/>): 2 trains about 4× faster.</param>
/// <param name="TestFraction">
/// 0: validation is <paramref name="ValidationFraction"/> of the dataset and nothing is held out. Above 0: that share of each
/// class is the test set (never trained or validated on, reported as test metrics), and <paramref name="ValidationFraction"/>
/// is a share of the rest (<see cref="DatasetSplits.Stratified"/>, seeded by <paramref name="Seed"/>): 0.2 and 0.2 with seed
/// 1 are <see cref="DatasetSplits.Standard"/>, the squares set's train 6400 / val 1600 / test 2000.
/// </param>
public sealed record ClassifierOptions(
    int Epochs, int BatchSize, double LearningRate, double WeightDecay, int Width, int Depth, bool Augmentation,
    int EarlyStoppingPatience, int Seed, double ValidationFraction, int StemStride = 1, double TestFraction = 0)
{
    public static TrainerOptionSchema Schema { get; } = new TrainerOptionSchema()
        .WholeNumber("epochs", 8, 1, 1000)
        .WholeNumber("batchSize", 32, 1, 4096)
        .Number("learningRate", 1e-3, v => v is > 0 and <= 1, "greater than 0 and at most 1")
        .Number("weightDecay", 1e-4, v => v >= 0, "of at least 0")
        .WholeNumber("width", 16, 8, 128)
        .WholeNumber("depth", 3, 1, 5)
        .Boolean("augmentation", false)
        .WholeNumber("earlyStoppingPatience", 3, 0, 1000)
        .WholeNumber("seed", 1)
        .Number("validationFraction", 0.2, v => v is >= 0.05 and <= 0.5, "from 0.05 to 0.5")
        // Defaults that reproduce runs from before these options existed, so their stored options and checkpoints still match.
        .WholeNumber("stemStride", 1, 1, 2)
        .Number("testFraction", 0, v => v is 0 or (>= 0.05 and <= 0.5), "0 or from 0.05 to 0.5");

    /// <exception cref="ArgumentException">The options are invalid (the message lists every error).</exception>
    public static ClassifierOptions From(JsonObject? options)
    {
        var validated = Schema.Validate(options);
        if (!validated.IsValid)
        {
            throw new ArgumentException("Invalid classifier options: " + string.Join(" ", validated.Errors.Values), nameof(options));
        }
        var v = validated.Values;
        return new ClassifierOptions(
            TrainerOptionSchema.GetInt(v, "epochs"),
            TrainerOptionSchema.GetInt(v, "batchSize"),
            TrainerOptionSchema.GetDouble(v, "learningRate"),
            TrainerOptionSchema.GetDouble(v, "weightDecay"),
            TrainerOptionSchema.GetInt(v, "width"),
            TrainerOptionSchema.GetInt(v, "depth"),
            TrainerOptionSchema.GetBool(v, "augmentation"),
            TrainerOptionSchema.GetInt(v, "earlyStoppingPatience"),
            TrainerOptionSchema.GetInt(v, "seed"),
            TrainerOptionSchema.GetDouble(v, "validationFraction"),
            TrainerOptionSchema.GetInt(v, "stemStride"),
            TrainerOptionSchema.GetDouble(v, "testFraction"));
    }

    public static TrainerOptions Validate(JsonObject? options) => Schema.Validate(options);

    /// <summary>
    /// Every option in one line, for the checkpoint fingerprint (a checkpoint of a differently configured run is refused).
    /// Options added later appear only when they differ from their default, so older checkpoints keep their fingerprint.
    /// </summary>
    public string Fingerprint() =>
        string.Create(CultureInfo.InvariantCulture,
            $"epochs={Epochs} batch={BatchSize} lr={LearningRate:R} wd={WeightDecay:R} width={Width} depth={Depth} aug={Augmentation} patience={EarlyStoppingPatience} seed={Seed} val={ValidationFraction:R}")
        + (StemStride == 1 ? "" : string.Create(CultureInfo.InvariantCulture, $" stem={StemStride}"))
        + (TestFraction == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $" test={TestFraction:R}"));
}
