namespace ExplainApi.Core.Imaging;

public enum ImageFormat
{
    Png,
    Jpeg,
    Dicom,
    Nifti,
}

/// <summary>
/// What the decoder learnt about the source, safe to return to clients and to log: no patient
/// identifiers are ever put here (DICOM decoders copy only technical attributes).
/// </summary>
public sealed record ImageSourceInfo(
    ImageFormat Format,
    int BitsStored,
    string Photometric,
    string? TransferSyntax = null,
    string? Modality = null,
    double RescaleSlope = 1,
    double RescaleIntercept = 0,
    int? Slice = null,
    int? SliceCount = null,
    int? Frame = null,
    int? FrameCount = null,
    IReadOnlyList<double>? PixelSpacing = null);
