using ExplainApi.Core.DifferenceMaps;
using ExplainApi.Core.Models;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Training.CycleGan;

/// <summary>
/// A generator in training as the difference-map algorithms see a served one, so validation judges translations with the
/// same <see cref="DifferenceSummarizer"/> as the difference-summary job. Grad mode and dispose scopes are per thread, so both are set here.
/// </summary>
internal sealed class GeneratorTranslator(ResnetGenerator generator, DifferenceDirection direction, int channels, int height, int width) : IImageTranslator
{
    public DifferenceDirection Direction => direction;

    public int Channels => channels;

    public int Height => height;

    public int Width => width;

    public float[] Translate(float[] images, int count)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return generator.call(tensor(images, [count, channels, height, width])).data<float>().ToArray();
    }
}
