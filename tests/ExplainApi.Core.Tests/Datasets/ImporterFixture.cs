using ExplainApi.Core.Datasets;
using ExplainApi.Core.Imaging;

namespace ExplainApi.Core.Tests.Datasets;

/// <summary>A temporary dataset root and an importer over it, with limits a test may tighten.</summary>
public sealed class ImporterFixture : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("datasets-import-").FullName;

    public UploadedDatasetStore Store => new(Root);

    public void Dispose() => Directory.Delete(Root, recursive: true);

    public DatasetIndex Import(byte[] zip, ZipImportLimits? limits = null, int? size = null, int channels = 1) =>
        Import(zip, out _, limits, size, channels);

    public DatasetIndex Import(byte[] zip, out string id, ZipImportLimits? limits = null, int? size = null, int channels = 1)
    {
        id = DatasetIds.New();
        var importer = new ZipDatasetImporter(TestPngDecoder.Reader(), ImageLimits.Default, limits ?? ZipImportLimits.Default, TimeProvider.System);
        using var stream = new MemoryStream(zip, writable: false);
        return importer.Import(stream, Store.DirectoryOf(id), new DatasetImportOptions { Id = id, Name = "test", Size = size, Channels = channels });
    }

    /// <summary>Asserts the import fails as a whole, leaving nothing behind, and returns the message.</summary>
    public string Refused(byte[] zip, DatasetImportError error, ZipImportLimits? limits = null)
    {
        var before = Directory.EnumerateFileSystemEntries(Root).Order().ToList();
        var exception = Assert.Throws<DatasetImportException>(() => Import(zip, limits));
        Assert.True(error == exception.Error, $"{exception.Error}: {exception.Message}");
        Assert.Equal(before, Directory.EnumerateFileSystemEntries(Root).Order());
        return exception.Message;
    }
}
