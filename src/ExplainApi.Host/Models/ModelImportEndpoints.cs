using System.Text;
using System.Text.Json;
using ExplainApi.Core.Models;
using ExplainApi.Core.Storage;
using ExplainApi.Core.Training;
using ExplainApi.Host.Auth;
using ExplainApi.Host.Errors;
using ExplainApi.Host.Explaining;
using ExplainApi.Host.Imaging;
using ExplainApi.Host.OpenApi;
using ExplainApi.Host.Uploads;
using ExplainApi.Onnx;
using ExplainApi.Onnx.Serving;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace ExplainApi.Host.Models;

/// <summary>
/// POST /v1/models/import: registers a user's own ONNX classifier (multipart: the .onnx file in <c>model</c>, the JSON
/// <see cref="ModelImportSpec"/> in <c>spec</c>). It is validated with ONNX Runtime before it is written through the
/// registry (atomic, hashed), then served like a trained model; without a backward graph it serves the
/// forward-only methods (Score-CAM, Ablation-CAM where the head separates, Eigen-CAM, occlusion, RISE). The same bytes
/// and spec as an existing version answer that version (200, nothing written); a full data volume is 507, nothing kept.
/// </summary>
public static class ModelImportEndpoints
{
    public const string ModelField = "model", SpecField = "spec";

    private static readonly JsonSerializerOptions SpecJson = new(JsonSerializerDefaults.Web);

    internal static void Map(IEndpointRouteBuilder app)
    {
        app.MapGroup("/v1/models").WithTags("Models").RequireAuthorization(Scopes.Admin)
            .MapPost("/import", Import).WithName("ImportModel")
            .WithSummary("Register your own ONNX classifier (multipart: 'model' = the .onnx file, 'spec' = JSON input spec, class names, target tensor).")
            .WithMetadata(new ModelImportMetadata())
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status507InsufficientStorage);
    }

    public static async Task<Results<Created<ModelImportResult>, Ok<ModelImportResult>, ProblemHttpResult>> Import(
        HttpRequest request, IModelRegistry registry, ModelSessionCache cache, OnnxSessionFactory factory, IOptions<ModelImportOptions> options,
        MultipartBodyReader multipart, StorageReserve storage, ILogger<ModelImportLog> logger, CancellationToken cancellationToken)
    {
        var limit = options.Value.MaxImportBytes;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !string.Equals(mediaType.MediaType.Value, "multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Problem(title: "Unsupported media type", statusCode: StatusCodes.Status415UnsupportedMediaType, type: ProblemTypes.UnsupportedMediaType,
                detail: $"Send multipart/form-data with the .onnx file in '{ModelField}' and the JSON spec in '{SpecField}'.");
        }

        const long specAllowance = 1024 * 1024;
        if (request.ContentLength > limit + specAllowance)
        {
            return TooLarge(limit);
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limit + specAllowance;
        }

        var rules = new MultipartRules(
            [new MultipartFieldRule(ModelField, 1, 1, limit, Spool: true), new MultipartFieldRule(SpecField, 0, 1, specAllowance)],
            limit + specAllowance, _ => TooLarge(limit));
        var (body, problem) = await multipart.ReadAsync(request, mediaType, rules, cancellationToken);
        if (body is null)
        {
            return problem!;
        }

        byte[] onnx;
        ModelImportSpec? spec;
        await using (body)
        {
            ProblemHttpResult? specProblem;
            (spec, specProblem) = ReadSpec(body[SpecField]);
            if (spec is null)
            {
                return specProblem!;
            }

            using var buffer = new MemoryStream();
            await body[ModelField][0].OpenRead().CopyToAsync(buffer, cancellationToken);
            onnx = buffer.ToArray();
        }

        if (ModelImportReuse.FindLoaded(onnx, spec, registry, cache) is { } loaded)
        {
            return Existing(request.HttpContext.Response, loaded.Manifest, loaded.Methods);
        }

        ModelInputSpec input;
        ModelImportResultMethods methods;
        try
        {
            (input, methods) = await Task.Run(() => ModelImportValidator.CheckModel(onnx, spec, factory, cache.OrtValues), cancellationToken);
        }
        catch (Exception exception) when (exception is InvalidOperationException or OnnxModelLoadException or ArgumentException or Google.Protobuf.InvalidProtocolBufferException)
        {
            return SaliencyProblems.ImportInvalid(Echo.Message(exception.Message));
        }

        ModelRegistration registration;
        try
        {
            using var claim = storage.Claim(onnx.Length);
            registration = await RegisterAsync(registry, spec, input, onnx, multipart.Spool, cancellationToken);
        }
        catch (Exception exception) when (StorageFull.Is(exception))
        {
            // The registry removed its staging folder: no version, no folder.
            logger.LogWarning("Model import refused: the data volume is full ({ExceptionType})", exception.GetType().Name);
            return StorageProblems.Result(exception);
        }

        var manifest = registration.Manifest;
        return registration.Created
            ? TypedResults.Created(LocationOf(manifest), new ModelImportResult(manifest, methods.Supported, methods.Unsupported))
            : Existing(request.HttpContext.Response, manifest, methods);
    }

    private static string LocationOf(ModelManifest manifest) => $"/v1/models/{manifest.Name}/versions/{manifest.Version}";

    /// <summary>The version this upload already is: 200 with the body a 201 would have, and its Location.</summary>
    private static Ok<ModelImportResult> Existing(HttpResponse response, ModelManifest manifest, ModelImportResultMethods methods)
    {
        response.Headers.Location = LocationOf(manifest);
        return TypedResults.Ok(new ModelImportResult(manifest, methods.Supported, methods.Unsupported));
    }

    /// <summary>The spec part, sent as a plain form field or as a file.</summary>
    private static (ModelImportSpec?, ProblemHttpResult?) ReadSpec(IReadOnlyList<MultipartPart> parts)
    {
        var text = parts.Count == 1 ? Encoding.UTF8.GetString(parts[0].Bytes) : null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, ImageUploadReader.Invalid($"Send the JSON spec in the multipart field '{SpecField}'."));
        }

        try
        {
            var spec = JsonSerializer.Deserialize<ModelImportSpec>(text, SpecJson);
            var invalid = spec is null ? "the spec is null." : ModelImportValidator.CheckSpec(spec);
            return invalid is null ? (spec, null) : (null, ImageUploadReader.Invalid("spec: " + invalid));
        }
        catch (JsonException exception)
        {
            return (null, ImageUploadReader.Invalid("spec is not valid JSON for a model import spec: " + Echo.Message(exception.Message)));
        }
    }

    /// <summary>Through the registry like a trained model; an imported model has no separate weights, so weights.bin is empty.</summary>
    private static async Task<ModelRegistration> RegisterAsync(
        IModelRegistry registry, ModelImportSpec spec, ModelInputSpec input, byte[] onnx, SpoolFolder spool, CancellationToken cancellationToken)
    {
        // In our spool, not /tmp: swept at start if a crash leaves it behind.
        var folder = spool.CreateDirectory("import-");
        try
        {
            var onnxFile = Path.Combine(folder, ModelManifest.OnnxFileName);
            var weightsFile = Path.Combine(folder, ModelManifest.WeightsFileName);
            await File.WriteAllBytesAsync(onnxFile, onnx, cancellationToken);
            await File.WriteAllBytesAsync(weightsFile, [], cancellationToken);
            var model = TrainedModel.Classifier(onnxFile, weightsFile, input, spec.ClassNames, [spec.TargetTensor], new Dictionary<string, double>());
            return await registry.RegisterOrReuseAsync(spec.Name, model, trainingJob: null, dataset: null, cancellationToken);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static ProblemHttpResult TooLarge(long limit) => TypedResults.Problem(
        title: "Model too large", detail: $"The model is larger than the import limit of {limit} bytes.",
        statusCode: StatusCodes.Status413PayloadTooLarge, type: ModelProblemTypes.ModelImportTooLarge);
}

/// <summary>The log category of model imports.</summary>
public sealed class ModelImportLog;
