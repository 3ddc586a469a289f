using ExplainApi.Onnx.Export;
using ExplainApi.Onnx.Proto;
using ExplainApi.Torch.Tests.Export;
using ExplainApi.Torch.Tests.Training.Classifier;
using ExplainApi.Torch.Training.CycleGan;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Tests.Training.CycleGan;

/// <summary>Both exported generators against TorchSharp: ONNX Runtime output ≤ 1e-4 max-abs at batch 1 and 3.</summary>
[Collection(GlobalGeneratorCollection.Name)]
public sealed class CycleGanOnnxTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1, 32, 32, false)]
    [InlineData(3, 24, 20, true)]
    public void Both_generators_match_TorchSharp_in_ONNX_Runtime(int channels, int height, int width, bool transposed)
    {
        using var networks = new CycleGanNetworks(channels, generatorWidth: 4, generatorBlocks: 2, discriminatorWidth: 4, discriminatorLayers: 2, transposed);
        networks.InitializeWeights(seed: 7);
        RandomizeBiases(networks, seed: 8); // biases are 0 at initialisation, which would let a misplaced bias pass

        foreach (var (label, generator) in new[] { ("a2b", networks.GeneratorA2B), ("b2a", networks.GeneratorB2A) })
        {
            var onnx = CycleGanOnnx.Export(generator, height, width);
            foreach (var batch in new long[] { 1, 3 })
            {
                long[] shape = [batch, channels, height, width];
                var input = OnnxRun.RandomValues(batch * 10 + channels, shape);
                float[] expected;
                using (NewDisposeScope())
                using (no_grad())
                {
                    generator.eval();
                    expected = OnnxRun.Values(generator.call(tensor(input, shape)));
                }

                var actual = OnnxRun.Run(onnx, new Dictionary<string, (float[], long[])> { [DifferenceMapOnnxContract.Input] = (input, shape) }, null,
                    DifferenceMapOnnxContract.Translated);

                OnnxRun.AssertClose($"{label} batch {batch}", expected, actual[DifferenceMapOnnxContract.Translated], shape, output);
            }
        }
    }

    [Fact]
    public void The_graph_has_the_contract_input_and_output_and_the_PyTorch_weight_names()
    {
        using var generator = new ResnetGenerator(1, width: 2, blocks: 1);

        var model = ModelProto.Parser.ParseFrom(CycleGanOnnx.Export(generator, 16, 16, fromClass: "young", toClass: "old"));
        var graph = model.Graph;

        Assert.Equal([DifferenceMapOnnxContract.Input], graph.Input.Select(i => i.Name));
        Assert.Equal([DifferenceMapOnnxContract.Translated], graph.Output.Select(o => o.Name));
        var initializers = graph.Initializer.Select(i => i.Name).ToHashSet();
        Assert.Contains("model.1.weight", initializers);
        Assert.Contains("model.10.conv_block.5.weight", initializers);
        Assert.Contains(graph.Node, n => n.OpType == "Resize");
        Assert.Contains(graph.Node, n => n.OpType == "InstanceNormalization");
        Assert.DoesNotContain(graph.Initializer, i => i.Name.EndsWith(".broadcast", StringComparison.Ordinal)); // backward-only constants pruned
        Assert.Equal([("from_class", "young"), ("to_class", "old")], model.MetadataProps.Select(p => (p.Key, p.Value)));
    }

    [Fact]
    public void The_paper_discriminator_sees_70_pixel_patches_and_the_paper_generator_has_6_or_9_blocks()
    {
        Assert.Equal(70, PatchDiscriminator.ReceptiveField(3));
        Assert.Equal(34, PatchDiscriminator.ReceptiveField(2));
        Assert.Equal(6, ResnetGenerator.PaperBlocks(128, 128));
        Assert.Equal(9, ResnetGenerator.PaperBlocks(256, 256));
    }

    private static void RandomizeBiases(nn.Module module, long seed)
    {
        using var generator = new Generator(unchecked((ulong)seed));
        using var noGrad = no_grad();
        foreach (var (name, parameter) in module.named_parameters().Where(p => p.name.EndsWith(".bias", StringComparison.Ordinal)))
        {
            parameter.normal_(0, 0.1, generator);
        }
    }
}
