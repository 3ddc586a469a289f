using System.Runtime.InteropServices;
using ExplainApi.Core.Imaging;

namespace ExplainApi.Dicom.Tests;

[CollectionDefinition(Name)]
public sealed class DicomFilesCollection : ICollectionFixture<DicomFiles>
{
    public const string Name = "DICOM files made by dcmtk and GDCM";
}

/// <summary>
/// Real DICOM files, made once per test run by dcmtk and GDCM's command-line tools in a temporary
/// directory from <see cref="SyntheticImages"/>: every transfer syntax, pixel format and attribute the
/// decoder handles.
/// </summary>
public sealed partial class DicomFiles : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("explainapi-dicom-tests-").FullName;

    public DicomFiles()
    {
        // When IJG rejects a JPEG, GDCM retries with the external pvrg-jpeg (installed with
        // libgdcm-tools) through tempnam(3) files it never deletes when that fails too. Point this test
        // process's native TMPDIR at our directory so the corrupt-JPEG tests leave nothing in /tmp.
        // (.NET's Environment.SetEnvironmentVariable does not reach the native environment on Unix.)
        _ = SetNativeEnvironment("TMPDIR", _directory, 1);

        var size = $"{SyntheticImages.Width},{SyntheticImages.Height}";
        Raw("gray8.raw", SyntheticImages.Gray8());
        Raw("signed16.raw", SyntheticImages.LittleEndian([.. SyntheticImages.Signed16().Select(v => (ushort)v)]));
        Raw("frames.raw", [.. Enumerable.Range(0, SyntheticImages.Frames).SelectMany(SyntheticImages.Frame)]);
        Raw("unsigned12.raw", SyntheticImages.LittleEndian(Unsigned12Stored));
        Raw("signed12.raw", SyntheticImages.LittleEndian(Signed12Stored));
        Raw("unsigned32.raw", SyntheticImages.LittleEndian(Unsigned32));
        Raw("rgb.bmp", SyntheticImages.Bmp());
        Raw("ybr422.raw", SyntheticImages.Ybr422());

        Gdcm("gdcmimg", "gray8.raw", "gray8.dcm", "--size", size, "--depth", "8", "--sign", "0");
        Gdcm("gdcmimg", "signed16.raw", "signed16.dcm", "--size", size, "--depth", "16", "--sign", "1");
        Gdcm("gdcmimg", "frames.raw", "frames.dcm", "--size", $"{size},{SyntheticImages.Frames}", "--depth", "8", "--sign", "0");
        Gdcm("gdcmimg", "unsigned12.raw", "unsigned12.dcm", "--size", size, "--depth", "16", "--sign", "0", "--pf", "16,12,11");
        Gdcm("gdcmimg", "signed12.raw", "signed12.dcm", "--size", size, "--depth", "16", "--sign", "1", "--pf", "16,12,11");
        Gdcm("gdcmimg", "unsigned32.raw", "unsigned32.dcm", "--size", size, "--depth", "32", "--sign", "0");
        DicomTools.Run("img2dcm", "-i", "BMP", Path("rgb.bmp"), Path("rgb.dcm"));

        foreach (var image in new[] { "gray8", "signed16", "rgb", "frames" })
        {
            Tool("dcmconv", "+ti", image, "implicit");
            Tool("dcmconv", "+tb", image, "bigendian");
            Tool("dcmcjpeg", "+e1", image, "jpeg-sv1");
            Tool("dcmcjpls", null, image, "jpegls");
            Tool("dcmcrle", null, image, "rle");
            Gdcm("gdcmconv", $"{image}.dcm", $"{image}-j2k.dcm", "--j2k");
        }

        Tool("dcmconv", "+td", "gray8", "deflated");
        Tool("dcmcjpeg", "+el", "gray8", "jpeg-p14");
        Tool("dcmcjpeg", "+eb", "gray8", "jpeg-baseline");
        Tool("dcmcjpls", "+en", "gray8", "jpegls-near");
        Gdcm("gdcmconv", "gray8.dcm", "gray8-j2k-lossy.dcm", "--j2k", "--lossy", "-q", "30");
        Tool("dcmcjpeg", "+eb", "rgb", "jpeg-baseline");
        DicomTools.Run("dcmdjpeg", "+cn", Path("rgb-jpeg-baseline.dcm"), Path("rgb-ybr-full.dcm"));
        Gdcm("gdcmconv", "rgb.dcm", "rgb-planar.dcm", "-w", "--planar-configuration", "1");

        Modified("rgb", "rgb-ybr-422", "-m", "(0028,0004)=YBR_FULL_422", "-mf", $"(7fe0,0010)={Path("ybr422.raw")}");
        Modified("signed16", "ct", "-i", "(0028,1053)=2", "-i", "(0028,1052)=-100", "-i", "(0008,0060)=CT", "-i", @"(0028,0030)=0.5\0.75");
        Modified("gray8", "windowed", "-i", @"(0028,1050)=100\40", "-i", @"(0028,1051)=200\80");
        Modified("gray8", "monochrome1", "-m", "(0028,0004)=MONOCHROME1");
        Modified("gray8", "no-pixel-data", "-e", "(7fe0,0010)");
        Modified("gray8", "palette", "-m", "(0028,0004)=PALETTE COLOR");
        Modified("gray8", "bits-allocated-12", "-m", "(0028,0100)=12");
        Modified("gray8", "high-bits", "-m", "(0028,0101)=5", "-m", "(0028,0102)=7");
        Modified("rgb-rle", "rle-ybr-ict", "-m", "(0028,0004)=YBR_ICT");
        Modified("gray8", "sequence", "-i", "(0008,1140)[0].(0008,1150)=1.2.840.10008.5.1.4.1.1.7", "-i", "(0008,1140)[0].(0008,1155)=1.2.3.4");
        Tool("dcmconv", "+ti", "sequence", "implicit");
        DicomTools.Run("dcmconv", "+ti", "+e", Path("sequence.dcm"), Path("sequence-implicit-lengths.dcm"));
        DicomTools.Run("dcmconv", "+tb", "+e", Path("sequence.dcm"), Path("sequence-bigendian-lengths.dcm"));
        Gdcm("gdcmconv", "gray8.dcm", "gray8-jpegls-icon.dcm", "--jpegls", "--generate-icon", "--compress-icon");
        Modified("gray8", "huge-dimensions", "-m", "(0028,0010)=60000", "-m", "(0028,0011)=60000");
        Modified("gray8-jpegls", "with-patient", "-i", "(0010,0010)=Doe^Jane", "-i", "(0010,0020)=PID-8675309", "-i", "(0010,0030)=19700101");
    }

    /// <summary>Stored 12-bit values with junk in the 4 unused high bits, which must be masked off (PS3.5 8.1.1).</summary>
    public static ushort[] Unsigned12Stored => [.. Enumerable.Range(0, SyntheticImages.Pixels).Select(i => (ushort)(0xA000 | ((i * 37) % 4096)))];

    /// <summary>Signed 12-bit two's complement values (-2048..2047) with junk in the high bits.</summary>
    public static ushort[] Signed12Stored => [.. Enumerable.Range(0, SyntheticImages.Pixels).Select(i => (ushort)(0x5000 | (((i * 37) - 2048) & 0xFFF)))];

    /// <summary>32-bit values that float32 represents exactly (multiples of 32 below 2^29).</summary>
    public static uint[] Unsigned32 => [.. Enumerable.Range(0, SyntheticImages.Pixels).Select(i => (uint)i * 100_000)];

    public string Path(string name) => System.IO.Path.Combine(_directory, name);

    public byte[] Bytes(string name) => File.ReadAllBytes(Path(name.EndsWith(".dcm", StringComparison.Ordinal) ? name : name + ".dcm"));

    public ImageTensor Decode(string name, DecodeOptions? options = null, ImageLimits? limits = null) =>
        new GdcmDicomDecoder().Decode(Bytes(name), options ?? DecodeOptions.Default, limits ?? ImageLimits.Default);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetNativeEnvironment(string name, string value, int overwrite);

    private void Raw(string name, byte[] bytes) => File.WriteAllBytes(Path(name), bytes);

    private void Gdcm(string tool, string input, string output, params string[] options) =>
        DicomTools.Run(tool, ["-i", Path(input), "-o", Path(output), .. options]);

    // dcmtk tools: tool [option] in.dcm out.dcm, writing <image>-<suffix>.dcm.
    private void Tool(string tool, string? option, string image, string suffix) =>
        DicomTools.Run(tool, [.. option is null ? [] : new[] { option }, Path($"{image}.dcm"), Path($"{image}-{suffix}.dcm")]);

    private void Modified(string source, string name, params string[] edits)
    {
        File.Copy(Path($"{source}.dcm"), Path($"{name}.dcm"));
        DicomTools.Run("dcmodify", ["-nb", .. edits, Path($"{name}.dcm")]);
    }
}
