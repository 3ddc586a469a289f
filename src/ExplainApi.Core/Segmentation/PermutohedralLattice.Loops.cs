namespace ExplainApi.Core.Segmentation;

/// <summary>The work split: fixed-size chunks (so every result is independent of the thread count) and the build's parts.</summary>
public sealed partial class PermutohedralLattice
{
    private const int ChunkTarget = 2048;

    // The build locates points in a fixed number of parts (not the core count), each numbering vertices in its own table;
    // merging in part order numbers them as one serial pass would.
    private const int Parts = 2;

    internal static int ChunkCount(int count) => Math.Max(1, (count + ChunkTarget - 1) / ChunkTarget);

    internal static (int Start, int End) ChunkRange(int chunk, int count) => (chunk * ChunkTarget, Math.Min(count, (chunk + 1) * ChunkTarget));

    private static (int Start, int End) PartRange(int part, int count) => ((int)((long)part * count / Parts), (int)((long)(part + 1) * count / Parts));
}
