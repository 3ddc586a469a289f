using ExplainApi.Core.Datasets;
using ExplainApi.Core.Imaging;
using ExplainApi.Core.Models;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ExplainApi.Host.Explaining;

/// <summary>
/// A decoded image as the model's input, preprocessed exactly as training did (<see cref="ImagePreprocessor"/> with the
/// manifest's normalisation). Channels must match; a different size is resized only when the manifest allows it.
/// </summary>
public static class ModelInputs
{
    public static (float[]? Input, ProblemHttpResult? Problem) Prepare(ImageTensor image, ModelInputSpec spec, int index, int count)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(spec);
        var sameSize = image.Height == spec.Height && image.Width == spec.Width;
        if (image.Channels != spec.Channels || (!sameSize && !spec.AllowResize))
        {
            var which = count > 1 ? $"Image {index} is" : "The image is";
            var why = image.Channels != spec.Channels
                ? $"it has {image.Channels} channel(s)"
                : "this model does not allow resizing";
            return (null, SaliencyProblems.ShapeMismatch(
                $"{which} {image.Channels}×{image.Height}×{image.Width}; the model expects C×H×W = {spec.Channels}×{spec.Height}×{spec.Width} ({why}).",
                spec.Channels, spec.Height, spec.Width));
        }

        return (ImagePreprocessor.ToModelInput(image, spec.Channels, spec.Height, spec.Width, spec.Normalization), null);
    }

    /// <summary>Every image of a request as the model's input (<see cref="Prepare"/>), or the problem of the first that does not fit.</summary>
    public static (IReadOnlyList<float[]>? Inputs, ProblemHttpResult? Problem) PrepareAll(IReadOnlyList<ImageTensor> images, ModelInputSpec spec)
    {
        ArgumentNullException.ThrowIfNull(images);
        var inputs = new List<float[]>(images.Count);
        foreach (var image in images)
        {
            var (input, problem) = Prepare(image, spec, inputs.Count, images.Count);
            if (input is null)
            {
                return (null, problem);
            }

            inputs.Add(input);
        }

        return (inputs, null);
    }
}
