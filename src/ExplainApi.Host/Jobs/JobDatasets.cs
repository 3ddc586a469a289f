using ExplainApi.Core.Datasets;
using ExplainApi.Host.Errors;

namespace ExplainApi.Host.Jobs;

/// <summary>Resolving a request's dataset reference into an error by field, the same for every kind.</summary>
public static class JobDatasets
{
    public static IDataset? Resolve(IDatasetResolver datasets, string? reference, Dictionary<string, string[]> errors, string whenMissing)
    {
        ArgumentNullException.ThrowIfNull(datasets);
        ArgumentNullException.ThrowIfNull(errors);
        try
        {
            var dataset = reference is null ? null : datasets.Resolve(reference);
            if (dataset is null)
            {
                errors["dataset"] = [whenMissing];
            }

            return dataset;
        }
        catch (DatasetReferenceException exception)
        {
            errors["dataset"] = [Echo.Message(exception.Message)];
            return null;
        }
    }
}
