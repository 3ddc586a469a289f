namespace ExplainApi.Core.Segmentation;

/// <summary>
/// Open addressing with linear probing from lattice coordinates (the first d of the d+1, which sum to zero) to dense
/// vertex indices in insertion order, as in Adams et al. 2010 and Krähenbühl's permutohedral.cpp. Insertion is
/// single-threaded (so vertex numbering is deterministic); lookups of a built table are safe from many threads.
/// </summary>
internal sealed class LatticeHashTable
{
    private readonly int keySize;
    private int[] keys;
    private int[] table;
    private int mask;

    public LatticeHashTable(int keySize, int expected)
    {
        this.keySize = keySize;
        var capacity = (int)Math.Min(1 << 30, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, 2 * expected)));
        table = new int[capacity];
        Array.Fill(table, -1);
        mask = capacity - 1;
        keys = new int[(capacity / 2) * keySize];
    }

    public int Count { get; private set; }

    /// <summary>The coordinates of vertex <paramref name="index"/>.</summary>
    public ReadOnlySpan<int> Key(int index) => keys.AsSpan(index * keySize, keySize);

    /// <summary>The vertex of <paramref name="key"/>, inserted when missing.</summary>
    public int FindOrAdd(ReadOnlySpan<int> key)
    {
        if (2 * (Count + 1) > table.Length)
        {
            Grow();
        }

        var slot = Probe(key);
        if (table[slot] >= 0)
        {
            return table[slot];
        }

        key.CopyTo(keys.AsSpan(Count * keySize, keySize));
        table[slot] = Count;
        return Count++;
    }

    /// <summary>The vertex of <paramref name="key"/>, or −1.</summary>
    public int Find(ReadOnlySpan<int> key) => table[Probe(key)];

    private int Probe(ReadOnlySpan<int> key)
    {
        var slot = (int)(Hash(key) & (uint)mask);
        while (true)
        {
            var entry = table[slot];
            if (entry < 0 || keys.AsSpan(entry * keySize, keySize).SequenceEqual(key))
            {
                return slot;
            }

            slot = (slot + 1) & mask;
        }
    }

    private static uint Hash(ReadOnlySpan<int> key)
    {
        // permutohedral.cpp's multiplicative hash (LCG constant), plus a final mix so that the low bits used by the mask vary.
        uint hash = 0;
        foreach (var k in key)
        {
            hash = unchecked((hash + (uint)k) * 1664525u);
        }

        return hash ^ (hash >> 16);
    }

    private void Grow()
    {
        var old = table;
        table = new int[old.Length * 2];
        Array.Fill(table, -1);
        mask = table.Length - 1;
        Array.Resize(ref keys, (table.Length / 2) * keySize);
        foreach (var entry in old)
        {
            if (entry >= 0)
            {
                var slot = (int)(Hash(Key(entry)) & (uint)mask);
                while (table[slot] >= 0)
                {
                    slot = (slot + 1) & mask;
                }

                table[slot] = entry;
            }
        }
    }
}
