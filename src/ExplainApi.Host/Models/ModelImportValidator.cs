using ExplainApi.Core.Datasets;
using ExplainApi.Core.Models;
using ExplainApi.Core.Saliency.Explaining;
using ExplainApi.Host.Errors;
using ExplainApi.Onnx;
using ExplainApi.Onnx.Explaining;
using ExplainApi.Onnx.Serving;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace ExplainApi.Host.Models;

/// <summary>
/// Checks an uploaded classifier before it is registered: the spec is complete and sane, ONNX Runtime loads the
/// model, its input is float32 [N, C, H, W] matching the spec, the target tensor exists and is 4-D, and the logits
/// have one value per class. Returns the model input spec and the methods it will serve, or what failed.
/// </summary>
public static class ModelImportValidator
{
    public static string? CheckSpec(ModelImportSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var input = spec.Input;
        return !ModelName.IsValid(spec.Name) ? $"name '{Echo.Value(spec.Name)}' is not a valid model name (letters, digits, '-', '_', '.')."
            : input is null ? "input is required."
            : input.Channels is not (1 or 3) ? "input.channels must be 1 or 3."
            : input.Height is < 1 or > 4096 || input.Width is < 1 or > 4096 ? "input.height and input.width must be 1..4096."
            : spec.ClassNames is not { Count: >= 2 } || spec.ClassNames.Any(string.IsNullOrWhiteSpace) || spec.ClassNames.Distinct().Count() != spec.ClassNames.Count
                ? "classNames must list at least two distinct, non-empty names."
            : string.IsNullOrWhiteSpace(spec.TargetTensor) ? "targetTensor is required."
            : input.Normalization is not (null or InputNormalization.WindowThenStandardize or InputNormalization.PerImageMinMaxSymmetric)
                ? $"input.normalization must be {InputNormalization.WindowThenStandardize} or {InputNormalization.PerImageMinMaxSymmetric}."
            : BadStatistics(input.Mean, input.Channels, false) ?? BadStatistics(input.Std, input.Channels, true);
    }

    /// <exception cref="InvalidOperationException">The model does not fit the spec (the message says how).</exception>
    /// <exception cref="OnnxModelLoadException">ONNX Runtime cannot load it.</exception>
    public static (ModelInputSpec Input, ModelImportResultMethods Methods) CheckModel(
        byte[] onnx, ModelImportSpec spec, OnnxSessionFactory factory, OrtValueTracker tracker)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(factory);
        var input = spec.Input;
        using var session = factory.Create(onnx, AcceleratorPreference.Cpu);
        var inputs = session.Session.InputMetadata;
        var inputName = input.Name ?? (inputs.Count == 1 ? inputs.Keys.First() : throw new InvalidOperationException(
            $"The model has {inputs.Count} inputs ({string.Join(", ", inputs.Keys)}); name the image input in input.name."));
        if (!inputs.TryGetValue(inputName, out var metadata))
        {
            throw new InvalidOperationException($"The model has no input '{Echo.Value(inputName)}'; it has {string.Join(", ", inputs.Keys)}.");
        }

        long[] expected = [-1, input.Channels, input.Height, input.Width];
        var dims = metadata.Dimensions;
        if (metadata.ElementDataType != TensorElementType.Float || dims.Length != 4 || dims.Where((d, i) => i > 0 && d > 0 && d != expected[i]).Any())
        {
            throw new InvalidOperationException(
                $"Input '{Echo.Value(inputName)}' is {metadata.ElementDataType} [{string.Join(", ", dims)}]; the spec says float32 [N, {input.Channels}, {input.Height}, {input.Width}].");
        }

        var builder = new OnnxExplainableModelBuilder(factory, AcceleratorPreference.Cpu, tracker);
        using var model = builder.Build(onnx, new ExplainableModelSpec(input.Channels, input.Height, input.Width, spec.ClassNames.Count, inputName, spec.TargetTensor),
            session.Session);
        if (model.Capabilities.MissingActivations is { } missing)
        {
            throw new InvalidOperationException($"targetTensor: {missing}.");
        }

        return (InputOf(spec, inputName), MethodsOf(model));
    }

    /// <summary>The manifest's input for <paramref name="spec"/> once the graph input it names is known.</summary>
    public static ModelInputSpec InputOf(ModelImportSpec spec, string inputName)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var input = spec.Input;
        var normalization = input.Normalization == InputNormalization.PerImageMinMaxSymmetric
            ? InputNormalization.MinMaxSymmetric
            : new InputNormalization(InputNormalization.WindowThenStandardize,
                input.Mean ?? [.. Enumerable.Repeat(0.5f, input.Channels)], input.Std ?? [.. Enumerable.Repeat(0.5f, input.Channels)]);
        return new ModelInputSpec(input.Channels, input.Height, input.Width, normalization, input.AllowResize, inputName);
    }

    public static ModelImportResultMethods MethodsOf(IExplainableModel model)
    {
        var supported = SaliencyMethods.All.Where(m => SaliencyMethods.Supports(m, model)).Select(m => m.Name).ToList();
        var unsupported = SaliencyMethods.All.Where(m => !SaliencyMethods.Supports(m, model, out _))
            .ToDictionary(m => m.Name, m => SaliencyMethods.Supports(m, model, out var reason) ? "" : reason);
        return new ModelImportResultMethods(supported, unsupported);
    }

    private static string? BadStatistics(IReadOnlyList<float>? values, int channels, bool positive) =>
        values is null ? null
        : values.Count != channels ? $"input.mean and input.std need {channels} value(s)."
        : values.Any(v => !float.IsFinite(v) || (positive && v <= 0)) ? "input.mean must be finite and input.std positive."
        : null;
}

/// <summary>The methods an imported model serves, and the reason for each it does not.</summary>
public sealed record ModelImportResultMethods(IReadOnlyList<string> Supported, IReadOnlyDictionary<string, string> Unsupported);
