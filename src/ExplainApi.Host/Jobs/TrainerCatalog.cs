using ExplainApi.Core.Training;

namespace ExplainApi.Host.Jobs;

/// <summary>The registered trainers by kind (every ITrainer in the container).</summary>
public sealed class TrainerCatalog(IEnumerable<ITrainer> trainers)
{
    private readonly Dictionary<string, ITrainer> _byKind = trainers.ToDictionary(t => t.Kind, StringComparer.Ordinal);

    public IReadOnlyCollection<string> Kinds => _byKind.Keys;

    public ITrainer? Find(string kind) => _byKind.GetValueOrDefault(kind);
}
