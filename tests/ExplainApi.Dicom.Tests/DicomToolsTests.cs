namespace ExplainApi.Dicom.Tests;

public sealed class DicomToolsTests
{
    [Fact]
    public void A_missing_tool_fails_with_the_package_to_install()
    {
        var error = Assert.Throws<InvalidOperationException>(() => DicomTools.Run("gdcmconv-that-is-not-installed", "--version"));

        Assert.Contains("apt-get install dcmtk libgdcm-tools", error.Message, StringComparison.Ordinal);
    }
}
