using System.Runtime.InteropServices;
using System.Text;
using ExplainApi.Core.Rendering;

namespace ExplainApi.Torch.Training;

/// <summary>A float32 tensor by name, as in a PyTorch state dict.</summary>
public sealed record NamedTensor(string Name, long[] Shape, float[] Values);

/// <summary>
/// Everything needed to continue a run exactly where it stopped, for any number of networks and optimizers
/// (written and read by <see cref="TrainingLoop"/> through a <see cref="CheckpointContent"/>).
/// <para>File <c>checkpoint.bin</c>, little-endian: magic <c>EXCKPT01</c>, int32 format version (2), int32
/// payload length, payload, uint32 CRC-32 of the payload. Payload: string fingerprint (options + dataset, so
/// a checkpoint of another job is refused), int64 steps done, int32 epoch (0-based, the one the next step
/// belongs to), uint64 shuffle state (SplitMix64 state before that epoch's shuffle), int32 scalar count, then
/// per scalar: string name, float64 value (counters and running sums, e.g. <c>critic_adam.steps</c>), int32
/// tensor count, then per tensor: string name, int32 rank, int64 dims, float32 values. Tensor names carry one
/// prefix per network or optimizer state (<c>generator.</c>, <c>critic_adam.exp_avg.</c>…). Strings are
/// BinaryWriter's (7-bit length, UTF-8). Version 1 (no scalar table, three fixed doubles) is refused.</para>
/// It is written to a temporary file and moved over the old one, so a crash leaves the old or the new one.
/// </summary>
public sealed record TrainingCheckpoint(
    string Fingerprint,
    long Step,
    int Epoch,
    ulong ShuffleState,
    IReadOnlyDictionary<string, double> Scalars,
    IReadOnlyList<NamedTensor> Tensors)
{
    public const string FileName = "checkpoint.bin";
    private const int FormatVersion = 2;
    private static readonly byte[] Magic = "EXCKPT01"u8.ToArray();

    public static string PathIn(string workDirectory) => Path.Combine(workDirectory, FileName);

    public void Save(string workDirectory)
    {
        var payload = Payload();
        var path = PathIn(workDirectory);
        var temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        using (var writer = new BinaryWriter(file))
        {
            writer.Write(Magic);
            writer.Write(FormatVersion);
            writer.Write(payload.Length);
            writer.Write(payload);
            writer.Write(Crc32.Compute(payload));
            writer.Flush();
            file.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <returns>The checkpoint in <paramref name="workDirectory"/>, or null when there is none.</returns>
    /// <exception cref="TrainingCheckpointException">The file is truncated, corrupted or of another format.</exception>
    public static TrainingCheckpoint? Load(string workDirectory)
    {
        var path = PathIn(workDirectory);
        if (!File.Exists(path))
        {
            return null;
        }
        var bytes = File.ReadAllBytes(path);
        const int header = 16; // magic, version, length
        if (bytes.Length < header + 4 || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw Corrupted("it is not a checkpoint file (bad header)");
        }
        var version = BitConverter.ToInt32(bytes, 8);
        if (version != FormatVersion)
        {
            throw Corrupted($"format version {version} is not {FormatVersion}");
        }
        var length = BitConverter.ToInt32(bytes, 12);
        if (length < 0 || (long)header + length + 4 != bytes.Length)
        {
            throw Corrupted($"it is {bytes.Length} bytes long but its header announces {length} bytes of payload (truncated?)");
        }
        var payload = bytes.AsSpan(header, length);
        if (Crc32.Compute(payload) != BitConverter.ToUInt32(bytes, header + length))
        {
            throw Corrupted("its CRC-32 does not match its contents");
        }
        try
        {
            return Parse(payload.ToArray());
        }
        catch (Exception ex) when (ex is EndOfStreamException or IOException or ArgumentException or OverflowException or DecoderFallbackException)
        {
            throw Corrupted($"its contents cannot be parsed ({ex.Message})", ex);
        }
    }

    public static void Delete(string workDirectory) => File.Delete(PathIn(workDirectory));

    /// <summary>
    /// Refuses a checkpoint written by another configuration (options or dataset) or whose step does not
    /// lie inside its epoch: resuming from either would silently train something else.
    /// </summary>
    /// <exception cref="TrainingCheckpointException">The checkpoint cannot continue this run.</exception>
    public void EnsureContinues(string expectedFingerprint, int epochs, long stepsPerEpoch)
    {
        if (Fingerprint != expectedFingerprint)
        {
            throw new TrainingCheckpointException(
                $"The training checkpoint {FileName} in the job's work directory belongs to another configuration "
                + $"({Fingerprint}; this run is {expectedFingerprint}). Delete it to restart training from the beginning.");
        }

        var epochFirstStep = (long)Epoch * stepsPerEpoch;
        if (Epoch > epochs || Step < epochFirstStep || Step >= epochFirstStep + stepsPerEpoch)
        {
            throw new TrainingCheckpointException($"The training checkpoint {FileName} is inconsistent: step {Step} of epoch {Epoch}.");
        }
    }

    private byte[] Payload()
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Fingerprint);
            writer.Write(Step);
            writer.Write(Epoch);
            writer.Write(ShuffleState);
            writer.Write(Scalars.Count);
            foreach (var (name, value) in Scalars)
            {
                writer.Write(name);
                writer.Write(value);
            }
            writer.Write(Tensors.Count);
            foreach (var tensor in Tensors)
            {
                writer.Write(tensor.Name);
                writer.Write(tensor.Shape.Length);
                foreach (var dim in tensor.Shape)
                {
                    writer.Write(dim);
                }
                writer.Write(MemoryMarshal.AsBytes(tensor.Values.AsSpan()));
            }
        }
        return buffer.ToArray();
    }

    private static TrainingCheckpoint Parse(byte[] payload)
    {
        using var reader = new BinaryReader(new MemoryStream(payload), Encoding.UTF8);
        var fingerprint = reader.ReadString();
        var step = reader.ReadInt64();
        var epoch = reader.ReadInt32();
        var shuffle = reader.ReadUInt64();
        var scalarCount = reader.ReadInt32();
        if (scalarCount is < 0 or > 1024)
        {
            throw new ArgumentException($"implausible scalar count {scalarCount}");
        }
        var scalars = new Dictionary<string, double>(scalarCount, StringComparer.Ordinal);
        for (var i = 0; i < scalarCount; i++)
        {
            scalars.Add(reader.ReadString(), reader.ReadDouble());
        }
        var count = reader.ReadInt32();
        if (step < 0 || epoch < 0 || count is < 0 or > 4096)
        {
            throw new ArgumentException($"implausible values (step {step}, epoch {epoch}, {count} tensors)");
        }
        var tensors = new List<NamedTensor>(count);
        for (var t = 0; t < count; t++)
        {
            var name = reader.ReadString();
            var rank = reader.ReadInt32();
            if (rank is < 0 or > 8)
            {
                throw new ArgumentException($"tensor '{name}' has rank {rank}");
            }
            var shape = new long[rank];
            for (var d = 0; d < rank; d++)
            {
                shape[d] = reader.ReadInt64();
            }
            var elements = checked((int)shape.Aggregate(1L, (p, d) => d < 0 ? throw new ArgumentException($"tensor '{name}' has a negative dimension") : checked(p * d)));
            if ((long)elements * sizeof(float) > payload.Length - reader.BaseStream.Position)
            {
                throw new EndOfStreamException($"tensor '{name}' needs {elements} floats but the payload ends first");
            }
            var values = new float[elements];
            reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
            tensors.Add(new NamedTensor(name, shape, values));
        }
        if (reader.BaseStream.Position != payload.Length)
        {
            throw new ArgumentException("bytes are left after the last tensor");
        }
        return new TrainingCheckpoint(fingerprint, step, epoch, shuffle, scalars, tensors);
    }

    private static TrainingCheckpointException Corrupted(string why, Exception? inner = null) =>
        new($"The training checkpoint {FileName} in the job's work directory is corrupted: {why}. "
            + "Delete it to restart training from the beginning.", inner);
}
