namespace ExplainApi.Dicom;

/// <summary>How the pixel data of a transfer syntax is stored (PS3.5 8 and Annex A.4).</summary>
internal enum PixelEncoding
{
    Native,
    Jpeg,
    JpegLs,
    Jpeg2000,
    Rle,
}

/// <summary>
/// The transfer syntaxes we decode (PS3.5 Annex A; UIDs from PS3.6 Annex A) and what GDCM 3.0 can
/// decode for each. Anything else (MPEG, HTJ2K, retired JPEG processes, private syntaxes) is refused
/// as unsupported before any native code runs.
/// </summary>
internal sealed record DicomTransferSyntax(string Uid, string Name, bool ExplicitVr, bool BigEndian, bool Deflated, PixelEncoding Pixels)
{
    public const string ExplicitVrLittleEndianUid = "1.2.840.10008.1.2.1";

    private static readonly Dictionary<string, DicomTransferSyntax> Known = new DicomTransferSyntax[]
    {
        new("1.2.840.10008.1.2", "Implicit VR Little Endian", false, false, false, PixelEncoding.Native),
        new(ExplicitVrLittleEndianUid, "Explicit VR Little Endian", true, false, false, PixelEncoding.Native),
        new("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian", true, false, true, PixelEncoding.Native),
        new("1.2.840.10008.1.2.2", "Explicit VR Big Endian (retired)", true, true, false, PixelEncoding.Native),
        new("1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)", true, false, false, PixelEncoding.Jpeg),
        new("1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 & 4)", true, false, false, PixelEncoding.Jpeg),
        new("1.2.840.10008.1.2.4.57", "JPEG Lossless (Process 14)", true, false, false, PixelEncoding.Jpeg),
        new("1.2.840.10008.1.2.4.70", "JPEG Lossless SV1 (Process 14, selection value 1)", true, false, false, PixelEncoding.Jpeg),
        new("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless", true, false, false, PixelEncoding.JpegLs),
        new("1.2.840.10008.1.2.4.81", "JPEG-LS Near-Lossless", true, false, false, PixelEncoding.JpegLs),
        new("1.2.840.10008.1.2.4.90", "JPEG 2000 (Lossless Only)", true, false, false, PixelEncoding.Jpeg2000),
        new("1.2.840.10008.1.2.4.91", "JPEG 2000", true, false, false, PixelEncoding.Jpeg2000),
        new("1.2.840.10008.1.2.4.92", "JPEG 2000 Part 2 Multi-component (Lossless Only)", true, false, false, PixelEncoding.Jpeg2000),
        new("1.2.840.10008.1.2.4.93", "JPEG 2000 Part 2 Multi-component", true, false, false, PixelEncoding.Jpeg2000),
        new("1.2.840.10008.1.2.5", "RLE Lossless", true, false, false, PixelEncoding.Rle),
    }.ToDictionary(t => t.Uid);

    public bool Encapsulated => Pixels != PixelEncoding.Native;

    public static DicomTransferSyntax? Find(string uid) => Known.GetValueOrDefault(uid);
}
