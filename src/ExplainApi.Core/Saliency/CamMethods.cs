using System.Diagnostics.CodeAnalysis;

namespace ExplainApi.Core.Saliency;

/// <summary>The CAM methods that need only captured tensors, by the name the API uses.</summary>
public static class CamMethods
{
    /// <summary>Every method, stateless and safe to share.</summary>
    public static IReadOnlyList<ICamMethod> All { get; } =
        [new Cam(), new GradCam(), new GradCamPlusPlus(), new XGradCam(), new LayerCam(), new HiResCam(), new EigenCam()];

    /// <summary>The method called <paramref name="name"/> (case-insensitive).</summary>
    public static bool TryGet(string name, [NotNullWhen(true)] out ICamMethod? method)
    {
        method = All.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));
        return method is not null;
    }
}
