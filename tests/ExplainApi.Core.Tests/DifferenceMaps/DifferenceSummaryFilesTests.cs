using ExplainApi.Core.DifferenceMaps;
using ExplainApi.Core.Imaging.Nifti;
using ExplainApi.Core.Models;
using ExplainApi.Core.Rendering;

namespace ExplainApi.Core.Tests.DifferenceMaps;

public sealed class DifferenceSummaryFilesTests
{
    // A 2-channel 2×2 mean whose channel average is (2, −1, 1, 2): not symmetric, so its negation renders differently.
    private static readonly DifferenceSummary Summary = new(new DifferenceDirection("a2b", "generator", "abnormal", "normal"), 2, 2, 2, 3,
        [1f, -2f, 3f, 0f, 3f, 0f, -1f, 4f], [0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f], null, null);

    [Fact]
    public void The_mean_png_is_drawn_in_the_methods_display_sign_as_the_route_draws_a_map()
    {
        byte[] Mean(string method) => DifferenceSummaryFiles.Images(Summary, method).Single(f => f.File == DifferenceSummaryFiles.MeanPng).Bytes;

        Assert.Equal(HeatmapRenderer.RenderPng([-2f, 1f, -1f, -2f], 2, 2, ColorMap.CoolWarm), Mean("vagan"));
        Assert.Equal(HeatmapRenderer.RenderPng([2f, -1f, 1f, 2f], 2, 2, ColorMap.CoolWarm), Mean("cyclegan"));
    }

    [Fact]
    public void The_nifti_mean_keeps_translated_minus_input_whatever_the_method()
    {
        byte[] Nifti(string method) => DifferenceSummaryFiles.Images(Summary, method).Single(f => f.File == DifferenceSummaryFiles.MeanNifti).Bytes;

        Assert.Equal(NiftiFloatWriter.Write(Summary.Mean, 2, 2, 2), Nifti("vagan"));
        Assert.Equal(Nifti("cyclegan"), Nifti("vagan"));
    }
}
