using System.IO.Compression;
using ExplainApi.Core.Datasets;
using static ExplainApi.Core.Tests.Datasets.TestArchives;

namespace ExplainApi.Core.Tests.Datasets;

/// <summary>Hostile and broken archives: each is refused as a whole, before or while inflating, with nothing left on disk.</summary>
public sealed class ZipArchiveSafetyTests(ImporterFixture fixture) : IClassFixture<ImporterFixture>
{
    private const int MiB = 1024 * 1024;

    [Fact]
    public void An_entry_declaring_more_than_the_per_file_limit_is_refused_before_inflating()
    {
        var zip = Zip([.. TwoClasses(1), ("normal/big.png", new byte[2 * MiB])]);
        var message = fixture.Refused(zip, DatasetImportError.TooLarge, new ZipImportLimits { MaxEntryBytes = MiB, MaxCompressionRatio = 1e6 });
        Assert.Equal($"Entry 'normal/big.png' declares {2 * MiB} bytes uncompressed; the limit per file is {MiB}.", message);
    }

    [Fact]
    public void A_highly_compressible_entry_is_refused_as_a_zip_bomb()
    {
        var zip = Zip([.. TwoClasses(1), ("normal/bomb.png", new byte[4 * MiB])]);
        var message = fixture.Refused(zip, DatasetImportError.TooLarge);
        Assert.StartsWith("Entry 'normal/bomb.png' inflates ", message, StringComparison.Ordinal);
        Assert.EndsWith("the limit is 100:1. It looks like a zip bomb.", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Entries_adding_up_past_the_total_limit_are_refused()
    {
        var zip = Zip([.. Enumerable.Range(0, 3).Select(i => ($"normal/{i}.png", new byte[400 * 1024]))], configure: null, CompressionLevel.NoCompression);
        var message = fixture.Refused(zip, DatasetImportError.TooLarge, new ZipImportLimits { MaxUncompressedBytes = MiB });
        Assert.Equal($"The entries declare more than {MiB} bytes uncompressed in total; that is the limit.", message);
    }

    [Fact]
    public void An_entry_whose_header_lies_about_its_size_is_stopped_while_inflating()
    {
        var honest = Zip([.. TwoClasses(1), ("normal/liar.png", new byte[8 * MiB])]);
        var lying = WithDeclaredSize(honest, "normal/liar.png", 1000);
        // The runtime stops inflating at the declared 1000 bytes; the CRC-32 of those bytes gives the lie away.
        var message = fixture.Refused(lying, DatasetImportError.Malformed);
        Assert.Equal("Entry 'normal/liar.png' does not match its header: the CRC-32 of the 1000 bytes it declares is wrong, so its size or data was altered.", message);
    }

    [Fact]
    public void A_header_overstating_the_size_of_its_data_is_refused_as_corrupt()
    {
        var lying = WithDeclaredSize(Zip([.. TwoClasses(1), ("normal/short.png", new byte[5000])]), "normal/short.png", 6000);
        var message = fixture.Refused(lying, DatasetImportError.Malformed);
        Assert.StartsWith("Entry 'normal/short.png' ", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../evil.png", "Entry '../evil.png' climbs out of the archive with '..'; archives with such paths are refused.")]
    [InlineData("normal/../../evil.png", "Entry 'normal/../../evil.png' climbs out of the archive with '..'; archives with such paths are refused.")]
    [InlineData("/abs.png", "Entry '/abs.png' is an absolute path; archives with such paths are refused.")]
    [InlineData("C:\\x.png", "Entry 'C:\\x.png' contains a backslash (paths inside a zip use '/'); archives with such paths are refused.")]
    [InlineData("C:/x.png", "Entry 'C:/x.png' starts with a drive letter; archives with such paths are refused.")]
    [InlineData("normal\\x.png", "Entry 'normal\\x.png' contains a backslash (paths inside a zip use '/'); archives with such paths are refused.")]
    [InlineData("normal//x.png", "Entry 'normal//x.png' contains an empty path segment; archives with such paths are refused.")]
    public void Paths_that_escape_the_archive_are_refused(string name, string expected)
    {
        var message = fixture.Refused(Zip([.. TwoClasses(1), (name, GreyPng(4, 4, 1))]), DatasetImportError.Malformed);
        Assert.Equal(expected, message);
    }

    [Fact]
    public void A_symbolic_link_entry_is_refused()
    {
        // Unix mode 0120777 (S_IFLNK | 0777) in the high half of the external attributes, as Info-ZIP writes links.
        var zip = Zip([("normal/link.png", "/etc/passwd"u8.ToArray())], entry => entry.ExternalAttributes = unchecked((int)0xA1FF0000));
        var message = fixture.Refused(zip, DatasetImportError.Malformed);
        Assert.Equal("Entry 'normal/link.png' is a symbolic link; archives with links are refused.", message);
    }

    [Fact]
    public void Too_many_entries_are_refused_from_the_end_record()
    {
        var message = fixture.Refused(Zip(TwoClasses(3)), DatasetImportError.TooLarge, new ZipImportLimits { MaxEntries = 5 });
        Assert.Equal("The archive declares 6 entries; the limit is 5.", message);
    }

    [Fact]
    public void Duplicate_names_are_refused()
    {
        var message = fixture.Refused(Zip([.. TwoClasses(1), ("normal/n0.png", GreyPng(4, 4, 1))]), DatasetImportError.Malformed);
        Assert.Equal("Entry 'normal/n0.png' appears more than once in the archive.", message);
    }

    [Fact]
    public void Bytes_that_are_not_a_zip_are_refused()
    {
        var message = fixture.Refused(GreyPng(8, 8, 1), DatasetImportError.Malformed);
        Assert.Equal("The upload is not a zip archive (it has no end-of-central-directory record).", message);
    }

    [Fact]
    public void An_upload_over_the_archive_limit_is_refused_before_reading_it()
    {
        var zip = Zip(TwoClasses(2));
        var message = fixture.Refused(zip, DatasetImportError.TooLarge, new ZipImportLimits { MaxArchiveBytes = 100 });
        Assert.Equal($"The archive is {zip.Length} bytes; the limit is 100.", message);
    }

    [Fact]
    public void A_dataset_over_the_stored_size_limit_is_refused_and_its_staging_folder_removed()
    {
        var message = fixture.Refused(Zip(TwoClasses(4)), DatasetImportError.TooLarge, new ZipImportLimits { MaxStoredBytes = 1000 });
        Assert.StartsWith("The preprocessed dataset would exceed the limit of 1000 bytes (1x8x8 float32 per image)", message, StringComparison.Ordinal);
    }
}
