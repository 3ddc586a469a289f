using ExplainApi.Core.Datasets;
using ExplainApi.Host.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ExplainApi.Host.Datasets;

/// <summary>How a refused archive is answered: the importer's message is the detail, it names the entry, line or limit.</summary>
public static class DatasetProblems
{
    public static ProblemHttpResult From(DatasetImportException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var (status, title, type) = exception.Error switch
        {
            DatasetImportError.TooLarge => (StatusCodes.Status413PayloadTooLarge, "Archive too large", ProblemTypes.DatasetArchiveTooLarge),
            DatasetImportError.Unusable => (StatusCodes.Status422UnprocessableEntity, "Archive holds no usable dataset", ProblemTypes.DatasetArchiveUnusable),
            DatasetImportError.QuotaExceeded => (StatusCodes.Status413PayloadTooLarge, "Dataset quota exceeded", ProblemTypes.DatasetQuotaExceeded),
            _ => (StatusCodes.Status400BadRequest, "Archive refused", ProblemTypes.DatasetArchiveInvalid),
        };
        return TypedResults.Problem(title: title, detail: Echo.Message(exception.Message), statusCode: status, type: type);
    }

    public static ProblemHttpResult NotFound(string id) => TypedResults.Problem(
        title: "Dataset not found",
        detail: $"No uploaded dataset has the id '{Echo.Value(id)}'.",
        statusCode: StatusCodes.Status404NotFound,
        type: ProblemTypes.DatasetNotFound);
}
