namespace ExplainApi.Dicom;

internal enum PixelDataKind
{
    None,
    Native,
    Encapsulated,

    /// <summary>Float or Double Float Pixel Data (7FE0,0008)/(7FE0,0009), PS3.3 C.7.6.24.</summary>
    Float,
}

/// <summary>A byte range in <see cref="DicomHeader.DataSet"/>.</summary>
internal readonly record struct ByteRange(int Offset, int Length);

/// <summary>
/// The technical attributes of a DICOM image that the decoder needs, read by
/// <see cref="DicomHeaderReader"/> without ever materialising any other attribute: no patient,
/// study or device attribute is read, kept or logged (they are skipped by length).
/// </summary>
internal sealed class DicomHeader(DicomTransferSyntax syntax, ReadOnlyMemory<byte> dataSet)
{
    public DicomTransferSyntax Syntax { get; } = syntax;

    /// <summary>The data set after the File Meta Information (inflated for the deflated syntax).</summary>
    public ReadOnlyMemory<byte> DataSet { get; } = dataSet;

    // Image Pixel Module, PS3.3 C.7.6.3.
    public int? Rows { get; set; }
    public int? Columns { get; set; }
    public int? SamplesPerPixel { get; set; }
    public string? Photometric { get; set; }
    public int? PlanarConfiguration { get; set; }
    public int? BitsAllocated { get; set; }
    public int? BitsStored { get; set; }
    public int? HighBit { get; set; }
    public int? PixelRepresentation { get; set; }

    // Multi-frame Module, PS3.3 C.7.6.6.
    public int? NumberOfFrames { get; set; }

    // General Series (C.7.3.1), Modality LUT (C.11.1), VOI LUT (C.11.2), Image Plane (C.7.6.2).
    public string? Modality { get; set; }
    public double? RescaleSlope { get; set; }
    public double? RescaleIntercept { get; set; }
    public double? WindowCenter { get; set; }
    public double? WindowWidth { get; set; }
    public IReadOnlyList<double>? PixelSpacing { get; set; }

    public PixelDataKind PixelData { get; set; }

    /// <summary>Length of native (uncompressed) Pixel Data.</summary>
    public long NativeLength => PixelData == PixelDataKind.Native ? PixelDataValue.Length : 0;

    /// <summary>
    /// The Pixel Data value: native samples, or for encapsulated data every item from the Basic Offset
    /// Table to the Sequence Delimitation Item, as stored.
    /// </summary>
    public ByteRange PixelDataValue { get; set; }

    /// <summary>The VR Pixel Data was stored with (explicit VR only; OB or OW).</summary>
    public ushort PixelDataVr { get; set; }

    /// <summary>Encapsulated fragments, the Basic Offset Table excluded (PS3.5 A.4).</summary>
    public List<ByteRange> Fragments { get; } = [];
}
