using ExplainApi.Core.Imaging;

namespace ExplainApi.Dicom.Tests;

[Collection(DicomFilesCollection.Name)]
public sealed class NativeLoadingTests(DicomFiles files)
{
    [Fact]
    public void The_glue_is_loaded_from_the_directory_the_build_referenced()
    {
        files.Decode("gray8");

        var maps = File.ReadAllText("/proc/self/maps");
        Assert.Equal("/usr/lib/cli/gdcm-sharp-3.0", GdcmNative.ConfiguredDirectory);
        Assert.Contains(Path.Combine(GdcmNative.ConfiguredDirectory!, "libgdcmsharpglue.so"), maps, StringComparison.Ordinal);
    }

    [Fact]
    public void The_scratch_file_lives_in_memory_and_is_gone_after_use()
    {
        string path;
        using (var scratch = ScratchFile.Create())
        {
            path = scratch.Path;
            scratch.Stream.Write("DICM"u8);
            scratch.Stream.Flush();
            Assert.StartsWith("/proc/self/fd/", path, StringComparison.Ordinal);
            Assert.Equal("DICM"u8.ToArray(), File.ReadAllBytes(path));
        }

        Assert.False(File.Exists(path));
    }

    [Fact]
    public void The_fallback_scratch_file_is_private_and_deleted_after_use()
    {
        string path;
        using (var scratch = ScratchFile.Create(allowMemfd: false))
        {
            path = scratch.Path;
            Assert.StartsWith(Path.GetTempPath(), path, StringComparison.Ordinal);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Gdcm_decodes_through_the_fallback_scratch_file_too()
    {
        var header = DicomHeaderReader.Read(files.Bytes("gray8-j2k"), ImageLimits.Default.MaxBytes);
        var (rows, columns, frames) = PixelLayout.Geometry(header);
        var layout = PixelLayout.From(header, rows, columns, frames);

        var frame = GdcmFrameDecoder.Decode(header, layout, 0, allowMemfd: false);

        Assert.Equal(SyntheticImages.Gray8(), frame.Samples.ToArray());
    }
}
