namespace ExplainApi.Core.Datasets;

/// <summary>
/// Resolves <c>synthetic:NAME?key=value&amp;…</c> through the generator registry and <c>ds_…</c> ids
/// through the uploaded-dataset store. Anything else is malformed; a well-formed id naming nothing is
/// "not found".
/// </summary>
public sealed class DatasetResolver(SyntheticGeneratorRegistry synthetic, UploadedDatasetStore uploads) : IDatasetResolver
{
    public IDataset Resolve(string reference)
    {
        if (string.IsNullOrEmpty(reference))
        {
            throw new DatasetReferenceException("The dataset reference is empty; use synthetic:squares?n=2000&seed=1 or an uploaded dataset id (ds_…).");
        }

        if (SyntheticReference.HasScheme(reference))
        {
            return synthetic.Create(SyntheticReference.Parse(reference));
        }

        if (DatasetIds.IsValid(reference))
        {
            try
            {
                return uploads.Open(reference)
                    ?? throw new DatasetReferenceException($"No uploaded dataset has the id '{reference}'.", notFound: true);
            }
            catch (InvalidDataException exception)
            {
                throw new DatasetReferenceException($"Uploaded dataset '{reference}' is damaged: {exception.Message}", exception);
            }
        }

        throw new DatasetReferenceException(reference.StartsWith(DatasetIds.Prefix, StringComparison.Ordinal)
            ? $"'{ArchivePaths.Printable(reference)}' is not a dataset id: ids are '{DatasetIds.Prefix}' and {DatasetIds.RandomLength} characters a–z, 2–7."
            : $"'{ArchivePaths.Printable(reference)}' is not a dataset reference; use synthetic:NAME?key=value (generators: " +
              $"{string.Join(", ", synthetic.Generators.Select(g => g.Name))}) or an uploaded dataset id (ds_…).");
    }
}
