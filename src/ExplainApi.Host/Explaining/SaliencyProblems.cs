using ExplainApi.Host.Errors;
using ExplainApi.Host.Models;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ExplainApi.Host.Explaining;

/// <summary>The problem documents of the explanation routes (types in <see cref="ModelProblemTypes"/>).</summary>
public static class SaliencyProblems
{
    public static ProblemHttpResult VersionUnknown(string name, int version, IEnumerable<int> versions) => Problem(
        StatusCodes.Status404NotFound, "Model version unknown", ModelProblemTypes.VersionUnknown,
        $"Model '{Echo.Value(name)}' has no version {version}; it has {string.Join(", ", versions)}.");

    public static ProblemHttpResult MethodUnknown(string method, IEnumerable<string> known) => Problem(
        StatusCodes.Status400BadRequest, "Saliency method unknown", ModelProblemTypes.MethodUnknown,
        $"Unknown method '{Echo.Value(method)}'; known: {string.Join(", ", known)}, or all.");

    public static ProblemHttpResult MethodUnsupported(IEnumerable<string> reasons) => Problem(
        StatusCodes.Status422UnprocessableEntity, "Saliency method not supported by this model", ModelProblemTypes.MethodUnsupported,
        string.Join(" ", reasons));

    public static ProblemHttpResult ClassUnknown(string target, IReadOnlyList<string> classes) => Problem(
        StatusCodes.Status400BadRequest, "Target class unknown", ModelProblemTypes.ClassUnknown,
        $"Target '{Echo.Value(target)}' is neither a class of this model ({string.Join(", ", classes)}) nor an index 0..{classes.Count - 1}.");

    public static ProblemHttpResult ShapeMismatch(string detail, int channels, int height, int width) => Problem(
        StatusCodes.Status422UnprocessableEntity, "Input shape mismatch", ModelProblemTypes.InputShapeMismatch, detail,
        new Dictionary<string, object?> { ["expectedShape"] = new[] { channels, height, width } });

    public static ProblemHttpResult NonFinite(string detail) => Problem(
        StatusCodes.Status422UnprocessableEntity, "Model output not finite", ModelProblemTypes.ModelOutputNonFinite, detail);

    public static ProblemHttpResult NotExplainable(string name, int version, string? reason) => Problem(
        StatusCodes.Status422UnprocessableEntity, "Model cannot be explained", ModelProblemTypes.ModelNotExplainable,
        $"Model '{name}' version {version} cannot be explained: {reason}");

    public static ProblemHttpResult NotAcceptable(HttpRequest request, IEnumerable<string> offered) => Problem(
        StatusCodes.Status406NotAcceptable, "Not acceptable", ModelProblemTypes.NotAcceptable,
        $"Accept '{Echo.Value(request.Headers.Accept)}' matches nothing this route answers in; it offers {string.Join(", ", offered)}.");

    public static ProblemHttpResult Busy(string detail) => Problem(
        StatusCodes.Status503ServiceUnavailable, "Explanations busy", ModelProblemTypes.ExplainBusy, detail);

    public static ProblemHttpResult TooCostly(long cost, long limit) => Problem(
        StatusCodes.Status422UnprocessableEntity, "Explanation too costly", ProblemTypes.ExplanationTooCostly,
        $"This request costs {cost} pass-pixels (model passes × input pixels over every image and method); the limit per request is {limit}. " +
        "Send fewer images or methods, or fewer RISE masks, SmoothGrad samples, IG steps or occlusion positions.",
        new Dictionary<string, object?> { ["cost"] = cost, ["limit"] = limit });

    public static ProblemHttpResult DeadlineExceeded(int seconds) => Problem(
        StatusCodes.Status504GatewayTimeout, "Explanation deadline exceeded", ProblemTypes.ExplanationDeadlineExceeded,
        $"The explanation did not finish within {seconds} s and was stopped; ask for less work (fewer images, methods or samples).");

    public static ProblemHttpResult ImportInvalid(string detail) => Problem(
        StatusCodes.Status422UnprocessableEntity, "Model import invalid", ModelProblemTypes.ModelImportInvalid, detail);

    private static ProblemHttpResult Problem(int status, string title, string type, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: status, type: type, extensions: extensions);
}
