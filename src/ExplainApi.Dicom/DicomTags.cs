namespace ExplainApi.Dicom;

/// <summary>The only tags this project reads (PS3.6 Table 6-1), as group &lt;&lt; 16 | element.</summary>
internal static class DicomTags
{
    public const uint TransferSyntaxUid = 0x00020010;
    public const uint Modality = 0x00080060;
    public const uint SamplesPerPixel = 0x00280002;
    public const uint PhotometricInterpretation = 0x00280004;
    public const uint PlanarConfiguration = 0x00280006;
    public const uint NumberOfFrames = 0x00280008;
    public const uint Rows = 0x00280010;
    public const uint Columns = 0x00280011;
    public const uint PixelSpacing = 0x00280030;
    public const uint BitsAllocated = 0x00280100;
    public const uint BitsStored = 0x00280101;
    public const uint HighBit = 0x00280102;
    public const uint PixelRepresentation = 0x00280103;
    public const uint WindowCenter = 0x00281050;
    public const uint WindowWidth = 0x00281051;
    public const uint RescaleIntercept = 0x00281052;
    public const uint RescaleSlope = 0x00281053;
    public const uint FloatPixelData = 0x7FE00008;
    public const uint DoubleFloatPixelData = 0x7FE00009;
    public const uint PixelData = 0x7FE00010;
}
