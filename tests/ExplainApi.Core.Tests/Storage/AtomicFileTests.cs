using ExplainApi.Core.Files;

namespace ExplainApi.Core.Tests.Storage;

public sealed class AtomicFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("explainapi-atomic-").FullName;

    [Fact]
    public async Task A_file_is_replaced_whole_leaves_no_temporary_and_only_its_owner_may_read_it()
    {
        var path = Path.Combine(_folder, "table.json");
        await File.WriteAllTextAsync(path, "an earlier attempt's longer text");

        await AtomicFile.WriteAllTextAsync(path, "{\"done\":true}");

        Assert.Equal("{\"done\":true}", await File.ReadAllTextAsync(path));
        Assert.Equal([path], Directory.GetFiles(_folder));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(PrivateFiles.FileMode, File.GetUnixFileMode(path));
        }
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
