using ExplainApi.Onnx.Export;
using ExplainApi.Onnx.Graph;
using ExplainApi.Onnx.Proto;

namespace ExplainApi.Onnx.Tests.Explaining;

public sealed class OnnxGraphSurgeryTests
{
    private static ModelProto Exported => ModelProto.Parser.ParseFrom(TinyConvNet.Exported());

    [Fact]
    public void The_forward_session_graph_of_an_exported_model_drops_the_backward_graph_and_the_target_input()
    {
        var pruned = ModelProto.Parser.ParseFrom(OnnxGraphPruner.Prune(TinyConvNet.Exported(), ["logits", "activations"]));

        var graph = pruned.Graph;
        Assert.Equal(["logits", "activations"], graph.Output.Select(o => o.Name).Order().Reverse());
        Assert.Equal(["input"], graph.Input.Select(i => i.Name));
        Assert.Equal(["Conv", "Relu", "GlobalAveragePool", "Flatten", "Gemm"], graph.Node.Select(n => n.OpType));
        Assert.DoesNotContain(graph.Initializer, t => t.Name == "positions");
        Assert.Equal(Exported.MetadataProps, pruned.MetadataProps); // the head metadata survives
    }

    [Fact]
    public void Exposing_an_intermediate_tensor_adds_an_untyped_output_and_refuses_unknown_names()
    {
        var imported = ModelProto.Parser.ParseFrom(TinyConvNet.Imported());

        var exposed = OnnxGraphSurgery.ExposeOutput(imported, TinyConvNet.ImportedTensor);

        var output = exposed.Graph.Output.Last();
        Assert.Equal(TinyConvNet.ImportedTensor, output.Name);
        Assert.Null(output.Type); // ONNX Runtime infers it
        Assert.DoesNotContain(imported.Graph.Output, o => o.Name == TinyConvNet.ImportedTensor); // the original is untouched
        Assert.Throws<ArgumentException>(() => OnnxGraphSurgery.ExposeOutput(imported, "no.such.tensor"));
    }

    [Fact]
    public void The_head_cut_at_the_activations_reads_only_them_and_initializers()
    {
        var (head, reason) = OnnxGraphSurgery.CutHead(Exported, "activations", "logits", [1, 2, 8, 8]);

        Assert.Null(reason);
        var graph = head!.Graph;
        Assert.Equal(["activations"], graph.Input.Select(i => i.Name));
        Assert.Equal([2L, 8, 8], graph.Input[0].Type.TensorType.Shape.Dim.Skip(1).Select(d => d.DimValue));
        Assert.Equal(["GlobalAveragePool", "Flatten", "Gemm"], graph.Node.Select(n => n.OpType));
        Assert.Equal(["fc.bias", "fc.weight"], graph.Initializer.Select(t => t.Name).Order());
    }

    [Fact]
    public void A_head_that_also_reads_the_input_cannot_be_cut()
    {
        var model = ModelProto.Parser.ParseFrom(TinyConvNet.ImportedWithSkip());

        var (head, reason) = OnnxGraphSurgery.CutHead(model, TinyConvNet.ImportedTensor, "logits", [1, 2, 8, 8]);

        Assert.Null(head);
        Assert.Contains("'input'", reason);
    }

    [Fact]
    public void Head_weights_are_read_from_raw_data()
    {
        var (values, dims) = InitializerReader.ReadFloat(Exported, "fc.weight")!.Value;

        Assert.Equal(TinyConvNet.FcWeight, values);
        Assert.Equal([3L, 2L], dims);
        Assert.Null(InitializerReader.ReadFloat(Exported, "zero")); // int64, not float
    }
}
