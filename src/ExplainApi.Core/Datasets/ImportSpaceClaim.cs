using ExplainApi.Core.Storage;

namespace ExplainApi.Core.Datasets;

/// <summary>The import's one space claim: taken when its shape is known, held until the dataset is in place.</summary>
internal sealed class ImportSpaceClaim(ISpaceClaims? space) : IDisposable
{
    private IDisposable? _claim;

    public bool Taken { get; private set; }

    public void Take(long bytes)
    {
        _claim = space?.Claim(bytes);
        Taken = true;
    }

    public void Dispose() => _claim?.Dispose();
}
