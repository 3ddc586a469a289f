namespace ExplainApi.Host.Uploads;

/// <summary>One part of a multipart body: in memory, or in a spool file that is deleted when the part is disposed.</summary>
public sealed class MultipartPart : IAsyncDisposable
{
    private readonly byte[]? _bytes;
    private readonly FileStream? _spooled;

    internal MultipartPart(string name, string? fileName, string? contentType, byte[]? bytes, FileStream? spooled)
    {
        Name = name;
        FileName = fileName;
        ContentType = contentType;
        _bytes = bytes;
        _spooled = spooled;
    }

    public string Name { get; }

    public string? FileName { get; }

    public string? ContentType { get; }

    public long Length => _bytes?.LongLength ?? _spooled!.Length;

    /// <summary>The bytes of an in-memory part (fields declared without spooling).</summary>
    public byte[] Bytes => _bytes ?? throw new InvalidOperationException($"Part '{Name}' was spooled; read it with {nameof(OpenRead)}.");

    /// <summary>The part from its start: the spool file itself (seekable, owned by this part) or a view of the bytes.</summary>
    public Stream OpenRead()
    {
        if (_spooled is null)
        {
            return new MemoryStream(_bytes!, writable: false);
        }

        _spooled.Position = 0;
        return _spooled;
    }

    public ValueTask DisposeAsync() => _spooled?.DisposeAsync() ?? ValueTask.CompletedTask;
}

/// <summary>The parts a <see cref="MultipartBodyReader"/> kept, in body order; disposing it releases every spool file.</summary>
public sealed class MultipartBody(IReadOnlyList<MultipartPart> parts) : IAsyncDisposable
{
    public IReadOnlyList<MultipartPart> Parts => parts;

    public IReadOnlyList<MultipartPart> this[string field] => [.. parts.Where(p => p.Name == field)];

    public async ValueTask DisposeAsync()
    {
        foreach (var part in parts)
        {
            await part.DisposeAsync();
        }
    }
}
