using ExplainApi.Core.Imaging;
using ExplainApi.Core.Imaging.Nifti;
using ExplainApi.Dicom;
using ExplainApi.Host.Uploads;
using ExplainApi.Imaging.Skia;

namespace ExplainApi.Host.Imaging;

public static class ImagingExtensions
{
    /// <summary>Every decoder, each behind IImageDecoder; the reader picks one per upload.</summary>
    public static IHostApplicationBuilder AddImaging(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IImageDecoder, SkiaPngDecoder>();
        builder.Services.AddSingleton<IImageDecoder, SkiaJpegDecoder>();
        builder.Services.AddSingleton<IImageDecoder, GdcmDicomDecoder>();
        builder.Services.AddSingleton<IImageDecoder, NiftiDecoder>();
        builder.Services.AddSingleton(sp => new ImageReader(sp.GetServices<IImageDecoder>()));
        builder.Services.AddMultipartReading();
        builder.Services.AddSingleton<DecodeAdmission>();
        builder.Services.AddSingleton<ImageRequestDecoder>();
        return builder;
    }
}
