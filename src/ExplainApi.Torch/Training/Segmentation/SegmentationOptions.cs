using System.Globalization;
using System.Text.Json.Nodes;
using ExplainApi.Core.Segmentation;
using ExplainApi.Core.Training;

namespace ExplainApi.Torch.Training.Segmentation;

/// <summary>
/// Where the training masks come from: the dataset's own masks (the fully supervised upper bound of issue 10), or
/// pseudo-masks from image-level labels through a linked multi-label classifier (<see cref="PseudoMaskPhases"/>).
/// </summary>
public enum MaskSource
{
    GroundTruth,

    /// <summary>The classifier's CAM seeds (PSA, α = <see cref="SegmentationOptions.Alpha"/>) of each image's true classes.</summary>
    Seeds,

    /// <summary>The seeds refined by the dense CRF guided by the image.</summary>
    Crf,

    /// <summary>The seeds and their CRF refinement integrated by static SSDD (<see cref="StaticSsdd"/>).</summary>
    Ssdd,
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
/// <param name="Classifier">The registered multi-label classifier whose seeds are the pseudo-masks (needed by seeds and crf).</param>
/// <param name="ClassifierVersion">Null: the classifier's latest version when training starts.</param>
public sealed record SegmentationOptions(
    MaskSource Masks, int Epochs, int BatchSize, double LearningRate, int Width, int Depth, ClassWeighting ClassWeights, int Seed,
    double ValidationFraction, double TestFraction, string? Classifier = null, int? ClassifierVersion = null, double Alpha = 16, DenseCrfParameters? Crf = null,
    SsddSettings? Ssdd = null, bool PolyLearningRate = false)
{
    /// <summary>The CRF of the crf phase (and of SSDD's advice): <see cref="Crf"/>, else pydensecrf's usual kernels.</summary>
    public DenseCrfParameters CrfParameters => Crf ?? DenseCrfParameters.Default;

    public const string GroundTruth = "ground-truth", SeedsName = "seeds", CrfName = "crf", SsddName = "ssdd";

    private static readonly Dictionary<string, MaskSource> MaskNames = new(StringComparer.Ordinal)
    {
        [GroundTruth] = MaskSource.GroundTruth, [SeedsName] = MaskSource.Seeds, [CrfName] = MaskSource.Crf, [SsddName] = MaskSource.Ssdd,
    };
    private static readonly Dictionary<string, SsddSign> SignNames = new(StringComparer.Ordinal) { ["paper"] = SsddSign.Paper, ["flipped"] = SsddSign.Flipped };
    private static readonly Dictionary<string, ClassWeighting> WeightingNames = new(StringComparer.Ordinal)
    {
        ["none"] = ClassWeighting.None, ["median-frequency"] = ClassWeighting.MedianFrequency,
    };

    public static TrainerOptionSchema Schema { get; } = new TrainerOptionSchema()
        .Text("masks", GroundTruth, MaskNames.ContainsKey,
            "\"ground-truth\" (the dataset's masks), \"seeds\" (the linked classifier's CAM seeds), \"crf\" (the seeds refined by the dense CRF) or \"ssdd\" (seeds and CRF integrated by static SSDD)")
        .WholeNumber("epochs", 10, 1, 1000)
        .WholeNumber("batchSize", 16, 1, 1024)
        .Number("learningRate", 1e-3, v => v is > 0 and <= 1, "greater than 0 and at most 1")
        // Default constant: at 12 epochs poly cost the true-mask network 10 points of test mIoU (docs/segmentation.md, 2026-12-08).
        .Text("learningRateSchedule", "constant", v => v is "poly" or "constant", "\"poly\" (DeepLab's (1 − t/T)^0.9) or \"constant\"")
        .WholeNumber("width", 16, 4, 64)
        .WholeNumber("depth", 3, 1, 5)
        // Default on: with plain cross-entropy no network here learnt a thin or tiny lesion pixel (docs/segmentation.md, 2026-12-07).
        .Text("classWeights", "median-frequency", WeightingNames.ContainsKey, "\"median-frequency\" or \"none\"")
        .WholeNumber("seed", 1)
        .Number("validationFraction", 0.2, v => v is >= 0.05 and <= 0.5, "from 0.05 to 0.5")
        .Number("testFraction", 0, v => v is 0 or (>= 0.05 and <= 0.5), "0 or from 0.05 to 0.5")
        .ClassifierLink()
        .Number("alpha", CamSeeds.DefaultAlpha, v => v is > 0 and <= 256, "greater than 0 and at most 256 (PSA's background exponent)")
        .WholeNumber("crfIterations", DenseCrfParameters.Default.Iterations, 0, DenseCrfParameters.MaxIterations)
        .Number("crfSmoothnessSigma", DenseCrfParameters.Default.SmoothnessTheta, v => v is >= 0.1 and <= 1000, "from 0.1 to 1000 (θγ in pixels)")
        .Number("crfSmoothnessWeight", DenseCrfParameters.Default.SmoothnessWeight, v => v is >= 0 and <= 100, "from 0 to 100 (w2; 0 switches the kernel off)")
        .Number("crfAppearanceSigma", DenseCrfParameters.Default.AppearancePositionTheta, v => v is >= 0.1 and <= 1000, "from 0.1 to 1000 (θα in pixels)")
        .Number("crfAppearanceIntensitySigma", DenseCrfParameters.Default.AppearanceIntensityTheta, v => v is >= 0.1 and <= 255, "from 0.1 to 255 (θβ in grey levels of 0–255)")
        .Number("crfAppearanceWeight", DenseCrfParameters.Default.AppearanceWeight, v => v is >= 0 and <= 100, "from 0 to 100 (w1; 0 switches the kernel off)")
        // 20: after 4 epochs the detector preferred the CRF everywhere, after 20 it ranks the disputed pixels (docs/segmentation.md, 2026-12-08).
        .WholeNumber("ssddEpochs", SsddSettings.Default.Epochs, 1, 1000)
        .Text("ssddSign", "paper", SignNames.ContainsKey, "\"paper\" or \"flipped\" (the sign of the integration's background and erased-class terms)")
        .Number("ssddBias", SsddBiases.Static.Difference, v => v is >= -1 and <= 1, "from -1 to 1 (b_dd)")
        .Number("ssddBackgroundBias", SsddBiases.Static.Background, v => v is >= -1 and <= 1, "from -1 to 1 (b_bg)")
        .Number("ssddErasedRatio", SsddBiases.Static.ErasedRatio, v => v is >= 0 and <= 1,
            "from 0 to 1 (f_c: a labelled class the CRF shrinks below this fraction of its seed pixels; 0 switches the term off)")
        .Text("ssddVariant", "static", v => v is "static" or "dynamic",
            "\"static\" (train on static SSDD's masks) or \"dynamic\" (train with two SSDD modules and a CRF inside each step, from static SSDD's masks)");

    /// <summary>The schema's checks, then: a pseudo-mask source needs a classifier.</summary>
    public static TrainerOptions Validate(JsonObject? options)
    {
        var validated = Schema.Validate(options);
        var masks = validated.Errors.ContainsKey("masks") ? null : TrainerOptionSchema.GetString(validated.Values, "masks");
        if (masks is not (null or GroundTruth) && TrainerOptionSchema.GetString(validated.Values, "classifier") is null && !validated.Errors.ContainsKey("classifier"))
        {
            return validated with
            {
                Errors = new Dictionary<string, string>(validated.Errors, StringComparer.Ordinal)
                {
                    ["classifier"] = $"masks \"{masks}\" needs classifier: a registered multi-label classifier of the dataset's classes and image size.",
                },
            };
        }

        return validated;
    }

    /// <exception cref="ArgumentException">The options are invalid (the message lists every error).</exception>
    public static SegmentationOptions From(JsonObject? options)
    {
        var validated = Validate(options);
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
            TrainerOptionSchema.GetDouble(v, "testFraction"),
            TrainerOptionSchema.GetString(v, "classifier"),
            TrainerOptionSchema.GetOptionalInt(v, "classifierVersion"),
            TrainerOptionSchema.GetDouble(v, "alpha"),
            new DenseCrfParameters(
                (float)TrainerOptionSchema.GetDouble(v, "crfSmoothnessSigma"), (float)TrainerOptionSchema.GetDouble(v, "crfSmoothnessWeight"),
                (float)TrainerOptionSchema.GetDouble(v, "crfAppearanceSigma"), (float)TrainerOptionSchema.GetDouble(v, "crfAppearanceIntensitySigma"),
                (float)TrainerOptionSchema.GetDouble(v, "crfAppearanceWeight"), TrainerOptionSchema.GetInt(v, "crfIterations")),
            new SsddSettings(TrainerOptionSchema.GetInt(v, "ssddEpochs"), new SsddBiases(
                TrainerOptionSchema.GetDouble(v, "ssddBias"), TrainerOptionSchema.GetDouble(v, "ssddBackgroundBias"),
                TrainerOptionSchema.GetDouble(v, "ssddErasedRatio"), SignNames[TrainerOptionSchema.GetString(v, "ssddSign")!]),
                TrainerOptionSchema.GetString(v, "ssddVariant") == "dynamic"),
            TrainerOptionSchema.GetString(v, "learningRateSchedule") == "poly");
    }

    /// <summary>The manifest's name of an integration sign.</summary>
    public static string SignName(SsddSign sign) => SignNames.First(p => p.Value == sign).Key;

    /// <summary>The manifest's name of <see cref="Masks"/>.</summary>
    public string MasksName => MaskNames.First(p => p.Value == Masks).Key;

    /// <summary>
    /// Every option that shapes the training in one line, for the checkpoint fingerprint (a checkpoint of a differently
    /// configured run is refused); the pseudo-mask files carry <see cref="PseudoMaskPhases"/>' own.
    /// </summary>
    public string Fingerprint() =>
        string.Create(CultureInfo.InvariantCulture,
            $"masks={MasksName}{(Masks == MaskSource.Ssdd && Ssdd?.Dynamic == true ? "+dynamic" : "")} epochs={Epochs} batch={BatchSize} lr={LearningRate:R} width={Width} depth={Depth} weights={ClassWeights} seed={Seed} val={ValidationFraction:R} test={TestFraction:R}{(PolyLearningRate ? " lr=poly" : "")}");
}

/// <summary>Static SSDD's settings: the epochs of its segmenter and difference detector, and the integration's biases.</summary>
/// <param name="Dynamic">Train the final segmenter with <see cref="DynamicSsdd"/> (from the static masks) instead of on them.</param>
public sealed record SsddSettings(int Epochs, SsddBiases Biases, bool Dynamic = false)
{
    public static SsddSettings Default { get; } = new(20, SsddBiases.Static);

    public string Fingerprint() => string.Create(CultureInfo.InvariantCulture,
        $"ssddEpochs={Epochs} b_dd={Biases.Difference:R} b_bg={Biases.Background:R} erased={Biases.ErasedRatio:R} sign={SegmentationOptions.SignName(Biases.Sign)}");
}
