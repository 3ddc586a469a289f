using System.ComponentModel;
using ExplainApi.Core.Imaging;
using Microsoft.AspNetCore.Mvc;

namespace ExplainApi.Host.Imaging;

/// <summary>Which part of a multi-image upload to read.</summary>
public readonly record struct DecodeQuery(
    [property: FromQuery(Name = "slice"), Description("NIfTI: slice index along the third axis (default: the middle slice).")] int? Slice,
    [property: FromQuery(Name = "volume"), Description("NIfTI: volume index along the fourth axis (default 0).")] int? Volume,
    [property: FromQuery(Name = "frame"), Description("DICOM multi-frame: frame index (default 0).")] int? Frame)
{
    public string? Validate() =>
        Slice < 0 ? "slice must be ≥ 0." : Volume < 0 ? "volume must be ≥ 0." : Frame < 0 ? "frame must be ≥ 0." : null;

    public DecodeOptions ToOptions() => new() { Slice = Slice, Volume = Volume, Frame = Frame };
}
