using ExplainApi.Core.Saliency.Explaining;
using ExplainApi.Onnx.Export;
using ExplainApi.Onnx.Graph;
using ExplainApi.Onnx.Proto;
using ExplainApi.Onnx.Serving;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Names = ExplainApi.Onnx.Export.ClassifierOnnxContract;

namespace ExplainApi.Onnx.Explaining;

/// <summary>
/// Reads an ONNX classifier and builds its <see cref="OnnxExplainableModel"/>: finds the logits and the CAM target
/// tensor (the exported <c>activations</c> output, or the named tensor of an imported model, exposed as an extra
/// output), prunes the forward copy, measures the target tensor's shape with one ORT run on zeros, reads the head
/// weights named by the metadata, and cuts the head where that is valid. Whatever is missing is recorded with
/// the reason, never thrown: a forward-only model still serves occlusion and RISE.
/// </summary>
public sealed class OnnxExplainableModelBuilder(OnnxSessionFactory factory, AcceleratorPreference preference, OrtValueTracker tracker)
{
    public const int DefaultMaxBatch = 16;

    /// <param name="full">A session over the same model (the served one), used for the gradient pass.</param>
    /// <exception cref="InvalidOperationException">The graph has no usable input or logits, or they disagree with the spec.</exception>
    /// <exception cref="OnnxModelLoadException">ONNX Runtime rejected a derived graph.</exception>
    public OnnxExplainableModel Build(byte[] onnx, ExplainableModelSpec spec, InferenceSession full, int maxBatch = DefaultMaxBatch)
    {
        ArgumentNullException.ThrowIfNull(onnx);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(full);
        var model = ModelProto.Parser.ParseFrom(onnx);
        var graph = model.Graph;
        var initializers = graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var inputs = graph.Input.Select(i => i.Name).Where(n => !initializers.Contains(n)).ToList();
        var inputName = inputs.Contains(spec.InputName) ? spec.InputName
            : inputs.FirstOrDefault() ?? throw new InvalidOperationException("The graph has no input.");
        var outputs = graph.Output.Select(o => o.Name).ToList();
        var logitsName = outputs.Contains(Names.Logits) ? Names.Logits
            : outputs.FirstOrDefault() ?? throw new InvalidOperationException("The graph has no output.");

        var (tensor, missingActivations) = FindTargetTensor(model, spec, outputs);
        var exposed = tensor is null || outputs.Contains(tensor) ? model : OnnxGraphSurgery.ExposeOutput(model, tensor);
        // ORT runs every node of a session whatever a run fetches: the forward session gets the graph without the backward part.
        var forwardModel = OnnxGraphPruner.Prune(exposed.ToByteArray(), tensor is null ? [logitsName] : [logitsName, tensor]);
        var forward = factory.Create(forwardModel, preference);
        OnnxSession? activationGradients = null; // the gradient CAMs' session: the backward only down to the target layer
        try
        {
            var (classes, activationDims) = Probe(forward.Session, inputName, logitsName, tensor, spec);
            if (classes != spec.Classes)
            {
                throw new InvalidOperationException($"Output '{logitsName}' has {classes} values per image; the model lists {spec.Classes} classes.");
            }

            ActivationShape? shape = null;
            if (activationDims is { Length: 4 } d)
            {
                shape = new ActivationShape((int)d[1], (int)d[2], (int)d[3]);
            }
            else if (tensor is not null)
            {
                missingActivations = $"the target tensor '{tensor}' is {activationDims?.Length ?? 0}-D; the CAM methods need a 4-D [N, K, h, w] tensor";
                tensor = null;
            }

            var missingGradients = inputs.Contains(Names.Target) && outputs.Contains(Names.GradInput)
                ? null
                : $"no backward graph (the model has no '{Names.Target}' input and '{Names.GradInput}' output; imported models are forward-only)";
            var (weights, missingWeights) = HeadWeights(model, shape, spec.Classes);
            var (head, missingHead) = tensor is null || shape is null
                ? (null, "no target-layer activations")
                : Head(model, tensor, logitsName, shape.Value, spec.Classes);
            var capabilities = new ExplainableCapabilities(tensor, tensor is null ? missingActivations ?? "no target-layer activations" : null,
                missingGradients, shape is null ? "no target-layer activations" : missingWeights, missingHead);
            string[] gradientOutputs = [.. new[] { logitsName, Names.TargetClass, tensor == Names.Activations ? Names.Activations : "", Names.GradActivations, Names.GradInput }
                .Where(n => n.Length > 0 && outputs.Contains(n))];
            var targetLayer = model.MetadataProps.FirstOrDefault(p => p.Key == Names.TargetLayerKey)?.Value ?? tensor;
            activationGradients = missingGradients is null && gradientOutputs.Contains(Names.GradActivations)
                ? factory.Create(OnnxGraphPruner.Prune(onnx, [.. gradientOutputs.Where(o => o != Names.GradInput)]), preference)
                : null;
            return new OnnxExplainableModel(new(spec.Channels, spec.Height, spec.Width, spec.Classes), targetLayer, capabilities, shape,
                full, forward, head, weights, maxBatch, tracker, inputName, logitsName, gradientOutputs, activationGradients) { OutputActivation = spec.OutputActivation };
        }
        catch
        {
            forward.Dispose();
            activationGradients?.Dispose();
            throw;
        }
    }

    private static (string? Tensor, string? Missing) FindTargetTensor(ModelProto model, ExplainableModelSpec spec, List<string> outputs)
    {
        if (outputs.Contains(Names.Activations))
        {
            return (Names.Activations, null);
        }

        if (spec.TargetTensor is not { Length: > 0 } name)
        {
            return (null, "no target tensor (no 'activations' output, none named)");
        }

        return outputs.Contains(name) || model.Graph.Node.Any(n => n.Output.Contains(name))
            ? (name, null)
            : (null, $"no tensor named '{name}' in the graph");
    }

    /// <summary>One run on a zero image: the logits per image and the target tensor's dimensions.</summary>
    private (int Classes, long[]? TensorDims) Probe(InferenceSession session, string inputName, string logitsName, string? tensor, ExplainableModelSpec spec)
    {
        var zeros = new float[spec.Channels * spec.Height * spec.Width];
        using var input = tracker.Input(zeros, [1, spec.Channels, spec.Height, spec.Width]);
        using var results = tracker.Run(session, [inputName], input.Values, tensor is null ? [logitsName] : [logitsName, tensor]);
        var logits = OrtOutputs.Shape(results[0]);
        return ((int)logits.Skip(1).Aggregate(1L, (a, b) => a * b), tensor is null ? null : OrtOutputs.Shape(results[1]));
    }

    private static (float[]? Weights, string? Missing) HeadWeights(ModelProto model, ActivationShape? shape, int classes)
    {
        string? Meta(string key) => model.MetadataProps.FirstOrDefault(p => p.Key == key)?.Value;
        if (Meta(Names.HeadKey) != Names.GapLinearHead || Meta(Names.HeadWeightKey) is not { } name)
        {
            return (null, $"no GAP → linear head declared (metadata '{Names.HeadKey}' = '{Names.GapLinearHead}' and '{Names.HeadWeightKey}')");
        }

        return InitializerReader.ReadFloat(model, name) is ({ } values, [var rows, var columns]) && rows == classes && columns == shape?.Channels
            ? (values, null)
            : (null, $"the head weight '{name}' is not a [{classes}, {shape?.Channels}] float initializer");
    }

    private (OnnxSession? Head, string? Missing) Head(ModelProto model, string tensor, string logitsName, ActivationShape shape, int classes)
    {
        var (cut, reason) = OnnxGraphSurgery.CutHead(model, tensor, logitsName, [1, shape.Channels, shape.Height, shape.Width]);
        if (cut is null)
        {
            return (null, $"the head cannot be separated: {reason}");
        }

        OnnxSession? session = null;
        try
        {
            session = factory.Create(cut.ToByteArray(), preference);
            var zeros = new float[shape.ItemSize];
            using var input = tracker.Input(zeros, [1, shape.Channels, shape.Height, shape.Width]);
            using var results = tracker.Run(session.Session, [tensor], input.Values, [logitsName]);
            if (results[0].GetTensorTypeAndShape().ElementCount != classes)
            {
                throw new InvalidOperationException("the head returns another number of logits");
            }

            return (session, null);
        }
        catch (Exception exception) when (exception is OnnxModelLoadException or OnnxRuntimeException or InvalidOperationException)
        {
            session?.Dispose();
            return (null, $"the head cannot be separated: {exception.Message}");
        }
    }
}
