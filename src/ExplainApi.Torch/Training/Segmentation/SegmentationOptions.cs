using System.Globalization;
using System.Text.Json.Nodes;
using ExplainApi.Core.Training;

namespace ExplainApi.Torch.Training.Segmentation;

/// <summary>
/// Where the training masks come from. Only the dataset's own masks so far (the fully supervised upper bound of issue
/// 10); the weakly supervised pipeline (CAM seeds → CRF → SSDD masks) will add its sources here.
/// </summary>
public enum MaskSource
{
    GroundTruth,
}

/// <summary>How the cross-entropy weighs the classes.</summary>
public enum ClassWeighting
{
    None,

    /// <summary>Median frequency balancing (Eigen and Fergus, ICCV 2015): w_k = median(f) / f_k over the training pixels.</summary>
    MedianFrequency,
}

/// <summary>The options of a <c>segmentation</c> job (a <see cref="UNetSegmenter"/> trained with Adam on per-pixel cross-entropy).</summary>
/// <param name="TestFraction">0: nothing held out; above 0, as the classifier's (a stratified test set, reported as test metrics).</param>
public sealed record SegmentationOptions(
    MaskSource Masks, int Epochs, int BatchSize, double LearningRate, int Width, int Depth, ClassWeighting ClassWeights, int Seed,
    double ValidationFraction, double TestFraction)
{
    public const string GroundTruth = "ground-truth";

    private static readonly Dictionary<string, MaskSource> MaskNames = new(StringComparer.Ordinal) { [GroundTruth] = MaskSource.GroundTruth };
    private static readonly Dictionary<string, ClassWeighting> WeightingNames = new(StringComparer.Ordinal)
    {
        ["none"] = ClassWeighting.None, ["median-frequency"] = ClassWeighting.MedianFrequency,
    };

    public static TrainerOptionSchema Schema { get; } = new TrainerOptionSchema()
        .Text("masks", GroundTruth, MaskNames.ContainsKey,
            "\"ground-truth\" (the dataset's masks; weakly supervised mask sources are not available yet)")
        .WholeNumber("epochs", 10, 1, 1000)
        .WholeNumber("batchSize", 16, 1, 1024)
        .Number("learningRate", 1e-3, v => v is > 0 and <= 1, "greater than 0 and at most 1")
        .WholeNumber("width", 16, 4, 64)
        .WholeNumber("depth", 3, 1, 5)
        .Text("classWeights", "none", WeightingNames.ContainsKey, "\"none\" or \"median-frequency\"")
        .WholeNumber("seed", 1)
        .Number("validationFraction", 0.2, v => v is >= 0.05 and <= 0.5, "from 0.05 to 0.5")
        .Number("testFraction", 0, v => v is 0 or (>= 0.05 and <= 0.5), "0 or from 0.05 to 0.5");

    public static TrainerOptions Validate(JsonObject? options) => Schema.Validate(options);

    /// <exception cref="ArgumentException">The options are invalid (the message lists every error).</exception>
    public static SegmentationOptions From(JsonObject? options)
    {
        var validated = Schema.Validate(options);
        if (!validated.IsValid)
        {
            throw new ArgumentException("Invalid segmentation options: " + string.Join(" ", validated.Errors.Values), nameof(options));
        }
        var v = validated.Values;
        return new SegmentationOptions(
            MaskNames[TrainerOptionSchema.GetString(v, "masks")!],
            TrainerOptionSchema.GetInt(v, "epochs"),
            TrainerOptionSchema.GetInt(v, "batchSize"),
            TrainerOptionSchema.GetDouble(v, "learningRate"),
            TrainerOptionSchema.GetInt(v, "width"),
            TrainerOptionSchema.GetInt(v, "depth"),
            WeightingNames[TrainerOptionSchema.GetString(v, "classWeights")!],
            TrainerOptionSchema.GetInt(v, "seed"),
            TrainerOptionSchema.GetDouble(v, "validationFraction"),
            TrainerOptionSchema.GetDouble(v, "testFraction"));
    }

    /// <summary>The manifest's name of <see cref="Masks"/>.</summary>
    public string MasksName => MaskNames.First(p => p.Value == Masks).Key;

    /// <summary>Every option in one line, for the checkpoint fingerprint (a checkpoint of a differently configured run is refused).</summary>
    public string Fingerprint() =>
        string.Create(CultureInfo.InvariantCulture,
            $"masks={MasksName} epochs={Epochs} batch={BatchSize} lr={LearningRate:R} width={Width} depth={Depth} weights={ClassWeights} seed={Seed} val={ValidationFraction:R} test={TestFraction:R}");
}
