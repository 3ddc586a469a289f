namespace ExplainApi.Dicom.Tests;

/// <summary>The managed walk over the data set: sequences and nested pixel data in every encoding.</summary>
[Collection(DicomFilesCollection.Name)]
public sealed class DataSetTests(DicomFiles files)
{
    [Theory]
    [InlineData("sequence")] // explicit VR, sequence and item of undefined length
    [InlineData("sequence-implicit")] // implicit VR: the sequence is recognised by its first Item tag
    [InlineData("sequence-implicit-lengths")] // implicit VR with defined lengths
    [InlineData("sequence-bigendian-lengths")]
    [InlineData("gray8-jpegls-icon")] // an Icon Image Sequence holding its own encapsulated Pixel Data
    public void Sequences_and_nested_pixel_data_are_walked_past(string file)
    {
        var image = files.Decode(file);

        Assert.Equal(Expected.Gray8, image.Data);
    }

    [Fact]
    public void Only_top_level_attributes_describe_the_image()
    {
        // The icon is a smaller image with its own Rows, Columns and Pixel Data inside (0088,0200).
        var header = DicomHeaderReader.Read(files.Bytes("gray8-jpegls-icon"), long.MaxValue);

        Assert.Equal((SyntheticImages.Height, SyntheticImages.Width), (header.Rows, header.Columns));
        Assert.Single(header.Fragments);
        Assert.Equal(PixelDataKind.Encapsulated, header.PixelData);
    }
}
