using ExplainApi.Core.Datasets;
using static ExplainApi.Core.Tests.Datasets.TestArchives;

namespace ExplainApi.Core.Tests.Datasets;

public sealed class ZipDatasetImporterTests(ImporterFixture fixture) : IClassFixture<ImporterFixture>
{
    [Fact]
    public void Class_folders_under_one_top_folder_become_a_two_class_dataset()
    {
        var index = fixture.Import(Zip(TwoClasses(3, prefix: "scans/")), out var id);
        Assert.Equal(["abnormal", "normal"], index.ClassNames);
        Assert.Equal([3, 3], index.ClassCounts);
        Assert.Equal((1, 8, 8), (index.Channels, index.Height, index.Width));
        Assert.Equal(DatasetLayout.ClassFolders, index.Layout);
        AssertNormalization(InputNormalization.Window(1), index.Normalization);
        Assert.Empty(index.Rejected);

        var dataset = fixture.Store.Open(id)!;
        Assert.Equal(id, dataset.Reference);
        var first = dataset.Get(0);
        Assert.Equal("scans/abnormal/a0.png", index.Files[0]);
        Assert.Equal(0, first.Label);
        Assert.Equal(((200 / 255f) - 0.5f) / 0.5f, first.Pixels[0], 5);
        Assert.Equal(((201 / 255f) - 0.5f) / 0.5f, first.Pixels[1], 5);
        Assert.Null(first.Mask);
        Assert.Equal(1, dataset.LabelOf(5));
        Assert.DoesNotContain(Directory.EnumerateDirectories(fixture.Root), d => Path.GetFileName(d).StartsWith(ZipDatasetImporter.StagingPrefix, StringComparison.Ordinal));
    }

    [Fact]
    public void Images_are_resized_and_rgb_becomes_luma_for_one_channel()
    {
        var zip = Zip(("red/r.png", RgbPng(8, 8, 255, 0, 0)), ("grey/g.png", GreyPng(16, 16, 0)));
        var index = fixture.Import(zip, out var id, size: 4);
        Assert.Equal((1, 4, 4), (index.Channels, index.Height, index.Width));
        Assert.Equal(["grey/g.png", "red/r.png"], index.Files);
        var red = fixture.Store.Open(id)!.Get(1);
        Assert.All(red.Pixels, v => Assert.Equal((0.299f - 0.5f) / 0.5f, v, 4));
    }

    [Fact]
    public void Three_channels_replicate_grey_images_and_keep_rgb()
    {
        var zip = Zip(("a/rgb.png", RgbPng(4, 4, 255, 0, 0)), ("b/grey.png", GreyPng(4, 4, 0)));
        var index = fixture.Import(zip, out var id, channels: 3);
        AssertNormalization(InputNormalization.Window(3), index.Normalization);
        var dataset = fixture.Store.Open(id)!;
        var rgb = dataset.Get(0).Pixels;
        Assert.Equal([1f, -1f, -1f], [rgb[0], rgb[16], rgb[32]]);
        var grey = dataset.Get(1).Pixels;
        Assert.Equal(grey[..16], grey[16..32]);
        Assert.Equal(grey[..16], grey[32..]);
    }

    [Fact]
    public void Labels_csv_with_masks_stores_nearest_resized_masks_and_rejects_unlisted_files()
    {
        var csv = "file,label,mask\nimg/a.png,lesion,masks/a.png\n\"img/b.png\",healthy,\n"u8.ToArray();
        var zip = Zip(("data/labels.csv", csv), ("data/img/a.png", GreyPng(8, 8, 5)), ("data/img/b.png", GreyPng(8, 8, 9)),
            ("data/masks/a.png", MaskPng(8, 2, 6)), ("data/notes.png", GreyPng(8, 8, 1)));
        var index = fixture.Import(zip, out var id, size: 4);
        Assert.Equal(DatasetLayout.LabelsFile, index.Layout);
        Assert.Equal(["healthy", "lesion"], index.ClassNames);
        Assert.True(index.HasMasks);
        var rejected = Assert.Single(index.Rejected);
        Assert.Equal(new RejectedFile("data/notes.png", "Not listed in labels.csv."), rejected);

        var dataset = fixture.Store.Open(id)!;
        var lesion = dataset.Get(0);
        Assert.Equal(1, lesion.Label);
        // Rows/columns 2..5 of 8 are inside; nearest to 4 samples source 0, 2, 4, 6.
        float[] expected = [0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0];
        Assert.Equal(expected, lesion.Mask);
        Assert.All(dataset.Get(1).Mask!, m => Assert.Equal(0f, m));
    }

    [Fact]
    public void A_corrupt_image_is_rejected_with_its_reason_and_the_rest_imported()
    {
        var broken = GreyPng(8, 8, 3)[..40];
        var zip = Zip([.. TwoClasses(2), ("normal/broken.png", broken), ("normal/notes.txt", "hello"u8.ToArray()),
            ("readme.png", GreyPng(8, 8, 1)), ("__MACOSX/normal/._n0.png", [0, 1]), ("deep/er/x.png", GreyPng(8, 8, 1))]);
        var index = fixture.Import(zip);
        Assert.Equal([2, 2], index.ClassCounts);
        var reasons = index.Rejected.ToDictionary(r => r.File, r => r.Reason);
        Assert.StartsWith("The PNG is corrupt", reasons["normal/broken.png"], StringComparison.Ordinal);
        Assert.Equal("The bytes are not a PNG, JPEG, DICOM Part 10 or NIfTI-1 file.", reasons["normal/notes.txt"]);
        Assert.Equal("Not inside a class folder; expected <class>/<file>.", reasons["readme.png"]);
        Assert.Equal("More than one folder deep; expected <class>/<file>.", reasons["deep/er/x.png"]);
        Assert.Equal("Hidden or system file; ignored.", reasons["__MACOSX/normal/._n0.png"]);
    }

    [Fact]
    public void Integer_labels_are_ordered_numerically()
    {
        var zip = Zip(("10/a.png", GreyPng(4, 4, 1)), ("2/b.png", GreyPng(4, 4, 1)), ("0/c.png", GreyPng(4, 4, 1)));
        Assert.Equal(["0", "2", "10"], fixture.Import(zip).ClassNames);
    }

    [Fact]
    public void One_class_is_refused_because_a_classifier_needs_two()
    {
        var zip = Zip(("normal/a.png", GreyPng(4, 4, 1)), ("normal/b.png", GreyPng(4, 4, 2)), ("abnormal/c.png", [1, 2, 3]));
        var message = fixture.Refused(zip, DatasetImportError.Unusable);
        Assert.StartsWith("Only class 'normal' has accepted images (2); a classifier needs at least 2 classes; 1 files were rejected", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_nested_zip_is_rejected_as_a_file_and_an_upload_of_only_nested_archives_is_refused()
    {
        var inner = Zip(TwoClasses(1));
        var index = fixture.Import(Zip([.. TwoClasses(1), ("normal/more.zip", inner), ("abnormal/disguised.png", inner)]));
        var reasons = index.Rejected.ToDictionary(r => r.File, r => r.Reason);
        Assert.Equal("A nested archive; upload one flat zip of images.", reasons["normal/more.zip"]);
        Assert.Equal("A nested archive; upload one flat zip of images.", reasons["abnormal/disguised.png"]);

        var message = fixture.Refused(Zip(("batch1.zip", inner), ("batch2.tar.gz", [0x1f, 0x8b])), DatasetImportError.Unusable);
        Assert.Equal("The archive holds nested archives (batch1.zip, batch2.tar.gz) and no images; upload one zip whose entries are the images themselves.", message);
    }

    [Fact]
    public void The_store_lists_finds_and_deletes_datasets()
    {
        var store = fixture.Store;
        fixture.Import(Zip(TwoClasses(1)), out var id);
        Assert.Contains(store.List(), i => i.Id == id);
        Assert.Equal(id, store.Find(id)!.Id);
        Assert.True(store.Delete(id));
        Assert.Null(store.Find(id));
        Assert.False(store.Delete(id));
        Assert.DoesNotContain(store.List(), i => i.Id == id);
    }

    [Fact]
    public void Work_left_by_a_crash_is_removed_once_old_and_kept_while_fresh()
    {
        var store = fixture.Store;
        var staging = Directory.CreateDirectory(Path.Combine(store.Root, ZipDatasetImporter.StagingPrefix + "ds_x-1")).FullName;
        Directory.CreateDirectory(store.UploadsDirectory);
        var upload = Path.Combine(store.UploadsDirectory, "spooled.zip");
        File.WriteAllBytes(upload, [1]);
        store.RemoveStaleWork(TimeSpan.FromHours(1), DateTimeOffset.UtcNow);
        Assert.True(Directory.Exists(staging) && File.Exists(upload));
        store.RemoveStaleWork(TimeSpan.FromHours(1), DateTimeOffset.UtcNow.AddHours(2));
        Assert.False(Directory.Exists(staging) || File.Exists(upload));
    }

    [Fact]
    public void A_damaged_dataset_is_reported_by_the_resolver()
    {
        fixture.Import(Zip(TwoClasses(2)), out var id);
        var pixels = Path.Combine(fixture.Store.DirectoryOf(id), DatasetIndex.PixelsFileName);
        File.WriteAllBytes(pixels, File.ReadAllBytes(pixels)[..100]);
        var resolver = new DatasetResolver(SyntheticGeneratorRegistry.BuiltIn(), fixture.Store);
        var exception = Assert.Throws<DatasetReferenceException>(() => resolver.Resolve(id));
        Assert.Equal($"Uploaded dataset '{id}' is damaged: pixels.f32 is 100 bytes; the index needs 1024.", exception.Message);
        fixture.Store.Delete(id);
    }

    [Fact]
    public void An_uploaded_dataset_resolves_by_id_and_reads_concurrently()
    {
        fixture.Import(Zip(TwoClasses(8)), out var id);
        var dataset = new DatasetResolver(SyntheticGeneratorRegistry.BuiltIn(), fixture.Store).Resolve(id);
        var expected = Enumerable.Range(0, 16).Select(i => dataset.Get(i).Pixels).ToArray();
        var actual = new float[16][];
        Parallel.For(0, 64, i => actual[i % 16] = dataset.Get(i % 16).Pixels);
        Assert.Equal(expected, actual);
        var split = DatasetSplits.Standard(dataset, 1);
        Assert.Equal((10, 2, 4), (split.Train.Length, split.Validation.Length, split.Test.Length));
    }

    private static void AssertNormalization(InputNormalization expected, InputNormalization actual)
    {
        Assert.Equal(expected.Kind, actual.Kind);
        Assert.Equal(expected.Mean, actual.Mean);
        Assert.Equal(expected.Std, actual.Std);
    }
}
