using System.Text.Json.Nodes;
using ExplainApi.Torch.Training.Classifier;
using ExplainApi.Torch.Training.VaGan;

namespace ExplainApi.Host.Demo;

/// <summary>
/// The options of the demo classifier job: the fast profile (stride-2 stem, width 16, 3 stages) on the standard squares
/// splits (test 20 %, validation 20 % of the rest, seed 1 = DatasetSplits.Standard), so its test metrics are honest and
/// the evaluate job can score it on the same test split. Measured on the 2-core build machine: see README "First start".
/// </summary>
public static class DemoProfile
{
    public const string Kind = ClassifierTrainer.KindName;

    public static JsonObject Options() => new()
    {
        ["epochs"] = 2,
        ["batchSize"] = 32,
        ["learningRate"] = 0.001,
        ["width"] = 16,
        ["depth"] = 3,
        ["stemStride"] = 2,
        ["earlyStoppingPatience"] = 1,
        ["seed"] = 1,
        ["validationFraction"] = 0.2,
        ["testFraction"] = 0.2,
    };

    public const string VaGanKind = VaGanTrainer.KindName;

    /// <summary>
    /// The demo VA-GAN (abnormal → normal, the cpu profile's widths) explaining <paramref name="classifier"/>. Sized for two
    /// cores: 300 generator steps of 16 with the official critic schedule except 5 warm-up steps instead of 25, a larger
    /// learning rate and a smaller L1 weight (both as the tiny CI run); validation |NCC| reached 0.89 at step 200 on the
    /// full squares set. Measured time and quality: README "First start" and docs/difference-maps.md.
    /// </summary>
    public static JsonObject VaGanOptions(string classifier) => new()
    {
        ["iterations"] = 300,
        ["batchSize"] = 16,
        ["profile"] = "cpu",
        ["learningRate"] = 0.002,
        ["l1Weight"] = 1,
        ["warmupSteps"] = 5,
        ["validateEvery"] = 50,
        ["seed"] = 1,
        ["classifier"] = classifier,
    };
}
