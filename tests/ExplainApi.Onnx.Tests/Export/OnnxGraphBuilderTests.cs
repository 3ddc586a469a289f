using ExplainApi.Onnx.Export;
using ExplainApi.Onnx.Proto;
using Microsoft.ML.OnnxRuntime;

namespace ExplainApi.Onnx.Tests.Export;

public sealed class OnnxGraphBuilderTests
{
    private const int Channels = 1, Side = 2, Features = Channels * Side * Side, Classes = 3;

    private static readonly float[] W = [0.5f, -1f, 0.25f, 2f, -0.5f, 1f, 1.5f, -0.75f, 0f, 0.3f, -2f, 1f];
    private static readonly float[] B = [0.1f, -0.2f, 0.3f];

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void A_flatten_gemm_softmax_graph_runs_in_onnx_runtime_for_any_batch_and_matches_plain_CSharp(int batch)
    {
        using var session = new OnnxSessionFactory().Create(BuildLinearSoftmax(), AcceleratorPreference.Cpu);
        var x = Enumerable.Range(0, batch * Features).Select(i => (i % 5 - 2) * 0.4f).ToArray();

        using var input = OrtValue.CreateTensorValueFromMemory(x, [batch, Channels, Side, Side]);
        using var runOptions = new RunOptions();
        using var outputs = session.Session.Run(runOptions, ["input"], [input], ["logits", "probabilities"]);

        var logits = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        var probabilities = outputs[1].GetTensorDataAsSpan<float>().ToArray();
        Assert.Equal([batch, Classes], outputs[0].GetTensorTypeAndShape().Shape);
        for (var n = 0; n < batch; n++)
        {
            for (var k = 0; k < Classes; k++)
            {
                var expected = B[k] + Enumerable.Range(0, Features).Sum(m => W[k * Features + m] * x[n * Features + m]);
                Assert.Equal(expected, logits[n * Classes + k], 1e-5f);
            }
            Assert.Equal(1f, probabilities.Skip(n * Classes).Take(Classes).Sum(), 1e-5f);
        }
    }

    [Fact]
    public void The_model_declares_opset_17_ir_8_and_a_symbolic_batch_dimension_N()
    {
        var model = ModelProto.Parser.ParseFrom(BuildLinearSoftmax());

        Assert.Equal(OnnxGraphBuilder.Opset, Assert.Single(model.OpsetImport).Version);
        Assert.Equal(8, model.IrVersion);
        Assert.Equal("N", model.Graph.Input[0].Type.TensorType.Shape.Dim[0].DimParam);
        Assert.All(model.Graph.Output, o => Assert.Equal("N", o.Type.TensorType.Shape.Dim[0].DimParam));
        Assert.Equal("test", Assert.Single(model.MetadataProps).Value);

        using var session = new OnnxSessionFactory().Create(BuildLinearSoftmax(), AcceleratorPreference.Cpu);
        Assert.Equal("N", session.Session.InputMetadata["input"].SymbolicDimensions[0]);
    }

    [Fact]
    public void A_node_reading_a_value_nothing_defined_is_refused_with_its_name()
    {
        var builder = new OnnxGraphBuilder("g");
        builder.AddInput("input", Features);

        var ex = Assert.Throws<InvalidOperationException>(() => builder.AddNode("Relu", ["missing"], ["y"]));

        Assert.Contains("'missing'", ex.Message);
    }

    [Fact]
    public void A_name_defined_twice_is_refused()
    {
        var builder = new OnnxGraphBuilder("g");
        builder.AddInput("x", Features);

        var ex = Assert.Throws<InvalidOperationException>(() => builder.AddNode("Relu", ["x"], ["x"]));

        Assert.Contains("'x' is already defined", ex.Message);
    }

    [Fact]
    public void An_initializer_whose_values_do_not_fill_its_shape_is_refused()
    {
        var builder = new OnnxGraphBuilder("g");

        Assert.Throws<ArgumentException>(() => builder.AddInitializer("w", new float[5], 2, 3));
    }

    [Fact]
    public void An_output_nothing_produces_is_refused()
    {
        var builder = new OnnxGraphBuilder("g");

        Assert.Throws<InvalidOperationException>(() => builder.AddOutput("y", Classes));
    }

    private static byte[] BuildLinearSoftmax()
    {
        var builder = new OnnxGraphBuilder("linear_softmax");
        builder.AddInput("input", Channels, Side, Side);
        builder.AddInitializer("fc.weight", W, Classes, Features);
        builder.AddInitializer("fc.bias", B, Classes);
        builder.AddNode("Flatten", ["input"], ["flat"], OnnxGraphBuilder.IntAttribute("axis", 1));
        builder.AddNode("Gemm", ["flat", "fc.weight", "fc.bias"], ["logits"], OnnxGraphBuilder.IntAttribute("transB", 1));
        builder.AddNode("Softmax", ["logits"], ["probabilities"], OnnxGraphBuilder.IntAttribute("axis", 1));
        builder.AddOutput("logits", Classes);
        builder.AddOutput("probabilities", Classes);
        builder.AddMetadata("purpose", "test");
        return builder.ToBytes("ExplainApi.Onnx.Tests");
    }
}
