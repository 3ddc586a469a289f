namespace ExplainApi.Core.Datasets.Brain;

/// <summary>4-connected components of a boolean plane, each as its list of indices (j·width + i).</summary>
internal static class SlicePieces
{
    public static List<List<int>> Find(bool[] inside, int width, int height)
    {
        var left = (bool[])inside.Clone();
        var pieces = new List<List<int>>();
        var queue = new Queue<int>();
        for (var seed = 0; seed < left.Length; seed++)
        {
            if (!left[seed])
            {
                continue;
            }

            var piece = new List<int>();
            left[seed] = false;
            queue.Enqueue(seed);
            while (queue.TryDequeue(out var v))
            {
                piece.Add(v);
                var (i, j) = (v % width, v / width);
                Visit(i > 0, v - 1);
                Visit(i < width - 1, v + 1);
                Visit(j > 0, v - width);
                Visit(j < height - 1, v + width);
            }

            pieces.Add(piece);
        }

        return pieces;

        void Visit(bool within, int neighbour)
        {
            if (within && left[neighbour])
            {
                left[neighbour] = false;
                queue.Enqueue(neighbour);
            }
        }
    }
}
