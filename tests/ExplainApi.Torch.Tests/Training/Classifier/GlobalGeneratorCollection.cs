namespace ExplainApi.Torch.Tests.Training.Classifier;

/// <summary>
/// Tests that build TorchSharp modules (whose constructors draw from libtorch's global generator) or train for
/// seconds run alone, after the parallel ones: other tests seed that generator and expect its exact sequence, and
/// timings are measured without contention.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalGeneratorCollection
{
    public const string Name = "libtorch global generator";
}
