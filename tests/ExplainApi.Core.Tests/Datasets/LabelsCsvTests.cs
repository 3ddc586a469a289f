using System.Text;
using ExplainApi.Core.Datasets;
using static ExplainApi.Core.Tests.Datasets.TestArchives;

namespace ExplainApi.Core.Tests.Datasets;

public sealed class LabelsCsvTests(ImporterFixture fixture) : IClassFixture<ImporterFixture>
{
    [Theory]
    [InlineData("a.png,normal\nb.png,abnormal\n", "labels.csv line 1 must be the header 'file,label' or 'file,label,mask'; got 'a.png,normal'.")]
    [InlineData("", "labels.csv line 1 must be the header 'file,label' or 'file,label,mask'; got ''.")]
    [InlineData("file,label\n", "labels.csv has its header but no rows.")]
    [InlineData("file,label\na.png,normal\nc.png,abnormal\n", "labels.csv line 3 names 'c.png', which is not in the archive.")]
    [InlineData("file,label\na.png,normal\nb.png,\n", "labels.csv line 3: label '' is empty.")]
    [InlineData("file,label\na.png,normal\nb.png,\"ab\u0001\"\n", "labels.csv line 3: label 'ab\\u0001' contains a control character.")]
    [InlineData("file,label\na.png,normal\nb.png,abnormal\na.png,abnormal\n", "labels.csv lines 2 and 4 both name 'a.png'.")]
    [InlineData("file,label\na.png,normal,extra\n", "labels.csv line 2 has 3 fields; the header has 2.")]
    [InlineData("file,label\n\"a.png,normal\n", "labels.csv line 2: a quoted field is not closed.")]
    [InlineData("file,label\n../a.png,normal\n", "labels.csv line 2: file '../a.png' climbs out of the archive with '..'; name files relative to labels.csv with '/'.")]
    [InlineData("file,label,mask\na.png,normal,m.png\nb.png,abnormal,\n", "labels.csv line 2 names 'm.png', which is not in the archive.")]
    public void A_bad_labels_csv_refuses_the_archive_naming_the_line(string csv, string expected)
    {
        var zip = Zip(("labels.csv", Encoding.UTF8.GetBytes(csv)), ("a.png", GreyPng(4, 4, 1)), ("b.png", GreyPng(4, 4, 9)));
        Assert.Equal(expected, fixture.Refused(zip, DatasetImportError.Malformed));
    }

    [Fact]
    public void Quoted_fields_a_bom_crlf_and_blank_lines_are_read()
    {
        var csv = "\uFEFFFile, Label\r\n\"a.png\",\"very \"\"sick\"\"\"\r\n\r\nb.png , fine\r\n";
        var index = fixture.Import(Zip(("labels.csv", Encoding.UTF8.GetBytes(csv)), ("a.png", GreyPng(4, 4, 1)), ("b.png", GreyPng(4, 4, 9))));
        Assert.Equal(["fine", "very \"sick\""], index.ClassNames);
        Assert.False(index.HasMasks);
    }
}
