using ExplainApi.Core.Datasets;
using ExplainApi.Core.Datasets.Lesions;
using ExplainApi.Core.Training;
using ExplainApi.Torch.Training;
using ExplainApi.Torch.Training.Classifier;
using ExplainApi.Torch.Training.CycleGan;
using ExplainApi.Torch.Training.VaGan;

namespace ExplainApi.Torch.Tests.Training;

/// <summary>
/// Trainers that read LabelOf as a class refuse a multi-label dataset, whose LabelOf is a stratification key; the classifier,
/// which has a multi-label objective, takes it when every class is both present and absent in two images.
/// </summary>
public sealed class MultiLabelRefusalTests
{
    private static readonly LesionsDataset Lesions = new(new LesionsOptions { Count = 8, Size = 64, Background = LesionBackground.Noise });

    public static TheoryData<string> Kinds => [LogisticRegressionTrainer.KindName, CycleGanTrainer.KindName, VaGanTrainer.KindName];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Single_label_trainers_refuse_the_lesions_set_and_say_why(string kind)
    {
        ITrainer trainer = kind switch
        {
            LogisticRegressionTrainer.KindName => new LogisticRegressionTrainer(),
            CycleGanTrainer.KindName => new CycleGanTrainer(),
            _ => new VaGanTrainer(),
        };

        Assert.Equal(
            $"{kind} needs a single-label dataset; synthetic:lesions?n=8&size=64&seed=1&background=noise&max=3 is multi-label (an image may hold several of blob, thin, tiny).",
            trainer.ValidateDataset(Lesions));
    }

    [Fact]
    public void The_classifier_takes_the_lesions_set_but_not_one_where_a_class_is_never_absent()
    {
        Assert.Null(new ClassifierTrainer().ValidateDataset(Lesions));
        Assert.Equal(
            "Class 'b' is present in 4 of 4 images; every class needs at least 2 images with it and 2 without.",
            new ClassifierTrainer().ValidateDataset(new AlwaysB()));
    }

    /// <summary>Four 16×16 images that all hold class b.</summary>
    private sealed class AlwaysB : IMultiLabelDataset
    {
        public string Reference => "test:always-b";
        public IReadOnlyList<string> ClassNames => ["a", "b"];
        public int Channels => 1;
        public int Height => 16;
        public int Width => 16;
        public int Count => 4;
        public InputNormalization Normalization => InputNormalization.MinMaxSymmetric;
        public bool HasMasks => false;
        public bool HasSegmentation => false;
        public int LabelOf(int index) => (int)LabelsOf(index).Sum();
        public float[] LabelsOf(int index) => [index % 2, 1];
        public Sample Get(int index) => new(new float[256], LabelOf(index), null, LabelsOf(index));
    }
}
