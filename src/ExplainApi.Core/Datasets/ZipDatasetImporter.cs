using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.InteropServices;
using ExplainApi.Core.Files;
using ExplainApi.Core.Imaging;
using ExplainApi.Core.Storage;

namespace ExplainApi.Core.Datasets;

/// <summary>
/// Builds an on-disk dataset from a zip of images (class folders, or labels.csv with optional masks).
/// Every archive-wide limit is checked from the central directory before an entry is opened, and
/// again while inflating; a bad archive is a <see cref="DatasetImportException"/>, a bad image is only
/// listed as rejected. The dataset is written into a hidden staging folder beside the target and
/// renamed into place at the end, so a reader never sees half of one. Its stored size is predicted once the
/// shape is known, before the first sample is written, and refused or claimed as a whole.
/// </summary>
public sealed class ZipDatasetImporter(ImageReader reader, ImageLimits imageLimits, ZipImportLimits limits, TimeProvider time, IStorageFiles? files = null)
{
    public const int MaxClasses = 1000;
    public const string StagingPrefix = ".importing-";

    private readonly ArchiveImageDecoder _images = new(reader, imageLimits);
    private readonly IStorageFiles _files = files ?? DiskFiles.Instance;

    public ZipImportLimits Limits => limits;

    /// <param name="archive">A readable, seekable stream holding the zip (a file, not the request body).</param>
    /// <param name="targetDirectory">The dataset's folder; must not exist yet.</param>
    public DatasetIndex Import(Stream archive, string targetDirectory, DatasetImportOptions options, CancellationToken cancellationToken = default) =>
        Import(archive, targetDirectory, options, space: null, cancellationToken);

    /// <param name="space">Claims the predicted stored size (quota, free space) until the dataset is in place; null claims nothing.</param>
    /// <exception cref="InsufficientStorageException">The predicted size does not fit on the volume.</exception>
    public DatasetIndex Import(Stream archive, string targetDirectory, DatasetImportOptions options, ISpaceClaims? space, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(archive);
        ArgumentNullException.ThrowIfNull(options);
        if (!archive.CanRead || !archive.CanSeek)
        {
            throw new ArgumentException("The archive must be readable and seekable: a zip's directory is at its end.", nameof(archive));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Size ?? 1, nameof(options));
        if (options.Channels is not (1 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Channels, "Channels must be 1 or 3.");
        }

        using var zip = Open(archive);
        var files = Guard(() => ZipEntryChecks.FileEntries(zip, limits, archive.Length));
        var entries = new ZipEntryReader(limits.MaxUncompressedBytes);
        var plan = DatasetLayout.Plan(files, entry => entries.Read(entry, out var reason)
            ?? throw Fail(DatasetImportError.Malformed, $"labels.csv cannot be extracted: {reason}"));
        if (plan.Samples.Select(s => s.ClassName).Distinct(StringComparer.Ordinal).Count() > MaxClasses)
        {
            throw Fail(DatasetImportError.Unusable, $"The archive names more than {MaxClasses} classes.");
        }

        var target = Path.GetFullPath(targetDirectory);
        var parent = Path.GetDirectoryName(target)!;
        PrivateFiles.CreateDirectory(parent);
        if (Directory.Exists(target))
        {
            throw new IOException($"The dataset folder {target} already exists.");
        }

        using var claim = new ImportSpaceClaim(space);
        var staging = PrivateFiles.CreateDirectory(Path.Combine(parent, $"{StagingPrefix}{Path.GetFileName(target)}-{Guid.NewGuid():N}")).FullName;
        try
        {
            var index = Guard(() => Write(plan, entries, staging, options, claim, cancellationToken));
            index.Save(staging, _files);
            Directory.Move(staging, target);
            return index;
        }
        catch
        {
            try
            {
                Directory.Delete(staging, recursive: true);
            }
            catch (IOException)
            {
                // Left for UploadedDatasetStore.RemoveStaleWork; never visible as a dataset.
            }

            throw;
        }
    }

    private ZipArchive Open(Stream archive)
    {
        if (archive.Length > limits.MaxArchiveBytes)
        {
            throw Fail(DatasetImportError.TooLarge, $"The archive is {archive.Length} bytes; the limit is {limits.MaxArchiveBytes}.");
        }

        var declared = ZipEndRecord.DeclaredEntryCount(archive)
            ?? throw Fail(DatasetImportError.Malformed, "The upload is not a zip archive (it has no end-of-central-directory record).");
        if (declared > limits.MaxEntries)
        {
            throw Fail(DatasetImportError.TooLarge, $"The archive declares {declared} entries; the limit is {limits.MaxEntries}.");
        }

        archive.Position = 0;
        return Guard(() => new ZipArchive(archive, ZipArchiveMode.Read, leaveOpen: true));
    }

    private DatasetIndex Write(DatasetPlan plan, ZipEntryReader entries, string staging, DatasetImportOptions options, ImportSpaceClaim claim,
        CancellationToken cancellationToken)
    {
        var rejected = new List<RejectedFile>(plan.Rejected);
        var accepted = new List<(string File, string ClassName)>();
        (int Height, int Width)? shape = options.Size is { } side ? (side, side) : null;
        if (shape is { } requested)
        {
            Claim(claim, plan, options.Channels, requested);
        }

        using var pixels = _files.CreateNew(Path.Combine(staging, DatasetIndex.PixelsFileName));
        using var masks = plan.HasMasks ? _files.CreateNew(Path.Combine(staging, DatasetIndex.MasksFileName)) : null;
        foreach (var sample in plan.Samples)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var image = _images.Decode(sample.Entry, entries, out var reason);
            if (image is { Channels: not (1 or 3) } odd)
            {
                reason = $"The image has {odd.Channels} channels; only grey and RGB images are read.";
                image = null;
            }

            if (image is null)
            {
                rejected.Add(new(sample.Entry.FullName, reason!));
                continue;
            }

            var (height, width) = shape ??= (image.Height, image.Width);
            Claim(claim, plan, options.Channels, (height, width));
            var mask = plan.HasMasks ? MaskOf(sample, image, entries, height, width, out reason) : null;
            if (plan.HasMasks && mask is null)
            {
                rejected.Add(new(sample.Entry.FullName, reason!));
                continue;
            }

            var values = ImagePreprocessor.ToModelInput(image, options.Channels, height, width);
            WriteLittleEndian(pixels, values);
            masks?.Write(mask);
            accepted.Add((sample.Entry.FullName, sample.ClassName));
        }

        DiskFiles.FlushToDisk(pixels);
        if (masks is not null)
        {
            DiskFiles.FlushToDisk(masks);
        }

        var classes = CheckClasses(accepted.Select(a => a.ClassName), accepted.Count, rejected);
        var labels = accepted.Select(a => classes.IndexOf(a.ClassName)).ToArray();
        return new DatasetIndex
        {
            Id = options.Id,
            Name = options.Name,
            CreatedAt = time.GetUtcNow(),
            Layout = plan.Layout,
            Channels = options.Channels,
            Height = shape!.Value.Height,
            Width = shape.Value.Width,
            Normalization = InputNormalization.Window(options.Channels),
            ClassNames = classes,
            ClassCounts = DatasetIndex.CountPerClass(labels, classes.Count),
            HasMasks = plan.HasMasks,
            Labels = labels,
            Files = [.. accepted.Select(a => a.File)],
            Rejected = [.. rejected.OrderBy(r => r.File, StringComparer.Ordinal)],
        };
    }

    private static List<string> CheckClasses(IEnumerable<string> acceptedClasses, int acceptedCount, List<RejectedFile> rejected)
    {
        var classes = ClassOrder.Sort(acceptedClasses).ToList();
        var why = rejected.Count == 0 ? "" : $"; {rejected.Count} files were rejected (e.g. '{rejected[0].File}': {rejected[0].Reason})";
        return classes.Count switch
        {
            0 => throw Fail(DatasetImportError.Unusable, $"No image in the archive could be read{why}."),
            1 => throw Fail(DatasetImportError.Unusable,
                $"Only class '{classes[0]}' has accepted images ({acceptedCount}); a classifier needs at least 2 classes{why}."),
            _ => classes,
        };
    }

    private byte[]? MaskOf(PlannedSample sample, ImageTensor image, ZipEntryReader entries, int height, int width, out string? reason)
    {
        reason = null;
        if (sample.Mask is null)
        {
            return new byte[height * width];
        }

        var mask = _images.Decode(sample.Mask, entries, out reason);
        if (mask is not null && (mask.Height != image.Height || mask.Width != image.Width))
        {
            reason = $"is {mask.Width}x{mask.Height}; the image is {image.Width}x{image.Height}";
            mask = null;
        }

        if (mask is null)
        {
            reason = $"Mask '{sample.Mask.FullName}': {reason}";
            return null;
        }

        return ImagePreprocessor.ToMask(mask, height, width);
    }

    /// <summary>
    /// Every planned sample stores C×H×W float32 (plus H×W mask bytes) or is rejected, so this bound is known
    /// before the first write: over the per-upload limit is 413; otherwise it is claimed once (quota, free space).
    /// </summary>
    private void Claim(ImportSpaceClaim claim, DatasetPlan plan, int channels, (int Height, int Width) shape)
    {
        if (claim.Taken)
        {
            return;
        }

        var pixels = (long)shape.Height * shape.Width;
        var predicted = plan.Samples.Count * ((channels * pixels * sizeof(float)) + (plan.HasMasks ? pixels : 0));
        if (predicted > limits.MaxStoredBytes)
        {
            throw Fail(DatasetImportError.TooLarge, $"The preprocessed dataset would exceed the limit of {limits.MaxStoredBytes} bytes " +
                $"({channels}x{shape.Height}x{shape.Width} float32 per image): its {plan.Samples.Count} images need up to {predicted} bytes; " +
                "send fewer images or ask for a smaller size.");
        }

        claim.Take(predicted);
    }

    private static void WriteLittleEndian(Stream stream, float[] values)
    {
        if (!BitConverter.IsLittleEndian)
        {
            var words = MemoryMarshal.Cast<float, int>(values.AsSpan());
            BinaryPrimitives.ReverseEndianness(words, words);
        }

        stream.Write(MemoryMarshal.AsBytes(values.AsSpan()));
    }

    // ZipArchive reports a broken directory or stream as InvalidDataException: the archive is malformed.
    private static T Guard<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (InvalidDataException exception)
        {
            throw Fail(DatasetImportError.Malformed, $"The archive is not a readable zip: {exception.Message}", exception);
        }
    }

    private static DatasetImportException Fail(DatasetImportError error, string message, Exception? inner = null) => new(error, message, inner);
}
