using ExplainApi.Core.Datasets;
using ExplainApi.Core.Storage;
using ExplainApi.Host.Errors;
using ExplainApi.Host.Auth;
using ExplainApi.Host.Uploads;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ExplainApi.Host.Datasets;

/// <summary>
/// Datasets to train on: zips of labelled images uploaded and imported (validated, decoded, resized,
/// stored as float32), listed beside the built-in synthetic generators, and deleted.
/// </summary>
public static class DatasetEndpoints
{
    public static IEndpointRouteBuilder MapDatasetEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/datasets").WithTags("Datasets").RequireAuthorization(Scopes.Train);
        group.MapPost("", Upload).WithName("UploadDataset")
            .WithSummary("Import a zip of images (class folders, or labels.csv with optional masks) as a dataset; 201 with Location.")
            .WithMetadata(new DatasetUploadMetadata())
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status507InsufficientStorage);
        group.MapGet("", List).WithName("ListDatasets")
            .WithSummary("Uploaded datasets, newest first, and the synthetic generators with their parameters.");
        group.MapGet("/{id}", Get).WithName("GetDataset")
            .WithSummary("An uploaded dataset: classes with counts, image shape, rejected files with reasons.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapDelete("/{id}", Delete).WithName("DeleteDataset")
            .WithSummary("Delete an uploaded dataset; 204.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Results<Created<DatasetView>, ProblemHttpResult>> Upload(
        HttpRequest request, [AsParameters] DatasetUploadQuery query, ZipDatasetImporter importer, UploadedDatasetStore store,
        MultipartBodyReader multipart, ILogger<DatasetImportLog> logger, CancellationToken cancellationToken)
    {
        if (query.Validate() is { } invalid)
        {
            return DatasetUploadReader.Invalid(invalid);
        }

        var (upload, problem) = await DatasetUploadReader.ReadAsync(
            request, multipart, importer.Limits.MaxArchiveBytes, cancellationToken);
        if (upload is null)
        {
            return problem!;
        }

        using (upload)
        {
            var id = DatasetIds.New();
            var name = query.Name ?? (upload.FileName is { Length: > 0 } file ? Path.GetFileNameWithoutExtension(file) : id);
            try
            {
                var index = importer.Import(upload.Archive, store.DirectoryOf(id),
                    new DatasetImportOptions { Id = id, Name = name, Size = query.Size, Channels = query.Channels ?? 1 }, store, cancellationToken);
                // Counts only: file and class names may carry patient identifiers.
                logger.LogInformation("Imported dataset {DatasetId}: {Count} images in {Classes} classes, {Rejected} files rejected",
                    id, index.Count, index.ClassNames.Count, index.Rejected.Count);
                return TypedResults.Created($"/v1/datasets/{id}", DatasetView.From(index));
            }
            catch (DatasetImportException exception)
            {
                logger.LogInformation("Dataset upload refused ({Error})", exception.Error);
                return DatasetProblems.From(exception);
            }
            catch (Exception exception) when (StorageFull.Is(exception))
            {
                // The importer removed its staging folder: nothing is listed, nothing is left.
                logger.LogWarning("Dataset upload refused: the data volume is full ({ExceptionType})", exception.GetType().Name);
                return StorageProblems.Result(exception);
            }
        }
    }

    public static Ok<DatasetCatalog> List(UploadedDatasetStore store, SyntheticGeneratorRegistry synthetic) => TypedResults.Ok(new DatasetCatalog(
        [.. store.List().Select(DatasetSummaryView.From)],
        [.. synthetic.Generators.Select(SyntheticGeneratorView.From)]));

    public static Results<Ok<DatasetView>, ProblemHttpResult> Get(string id, UploadedDatasetStore store) =>
        store.Find(id) is { } index ? TypedResults.Ok(DatasetView.From(index)) : DatasetProblems.NotFound(id);

    public static Results<NoContent, ProblemHttpResult> Delete(string id, UploadedDatasetStore store, ILogger<DatasetImportLog> logger)
    {
        if (!store.Delete(id))
        {
            return DatasetProblems.NotFound(id);
        }

        logger.LogInformation("Deleted dataset {DatasetId}", id);
        return TypedResults.NoContent();
    }
}

/// <summary>The log category of dataset imports and deletions.</summary>
public sealed class DatasetImportLog;
