using System.Globalization;
using System.Text;

namespace ExplainApi.Dicom;

/// <summary>
/// Parses the values of the few top-level attributes in <see cref="DicomHeader"/> (PS3.5 6.2 value
/// representations: US binary, CS/UI text, IS/DS decimal strings with backslash-separated values).
/// Every other element is skipped by length and never decoded.
/// </summary>
internal static class DicomValues
{
    public static readonly ushort OB = DicomElementCursor.Vr("OB");
    public static readonly ushort OW = DicomElementCursor.Vr("OW");

    // Far above any legitimate value of these attributes (a DS value is at most 16 characters).
    private const int MaxTextLength = 1024;

    // PS3.6 Table 6-1: the VR each attribute must have in explicit VR syntaxes.
    private static readonly Dictionary<uint, string> ExpectedVr = new()
    {
        [DicomTags.Modality] = "CS", [DicomTags.SamplesPerPixel] = "US", [DicomTags.PhotometricInterpretation] = "CS",
        [DicomTags.PlanarConfiguration] = "US", [DicomTags.NumberOfFrames] = "IS", [DicomTags.Rows] = "US",
        [DicomTags.Columns] = "US", [DicomTags.PixelSpacing] = "DS", [DicomTags.BitsAllocated] = "US",
        [DicomTags.BitsStored] = "US", [DicomTags.HighBit] = "US", [DicomTags.PixelRepresentation] = "US",
        [DicomTags.WindowCenter] = "DS", [DicomTags.WindowWidth] = "DS", [DicomTags.RescaleIntercept] = "DS",
        [DicomTags.RescaleSlope] = "DS",
    };

    public static void Capture(DicomHeader header, DicomElement element, ReadOnlySpan<byte> value, bool bigEndian)
    {
        if (element.Vr != 0 && ExpectedVr.TryGetValue(element.Tag, out var vr) && element.Vr != DicomElementCursor.Vr(vr))
        {
            throw DicomElementCursor.Malformed($"Attribute {DicomElement.Describe(element.Tag)} does not have VR {vr}.");
        }

        switch (element.Tag)
        {
            case DicomTags.Modality: header.Modality = Text(value) is { Length: > 0 and <= 16 } m && IsCodeString(m) ? m : null; break;
            case DicomTags.SamplesPerPixel: header.SamplesPerPixel = UInt16(element, value, bigEndian); break;
            case DicomTags.PhotometricInterpretation: header.Photometric = Text(value); break;
            case DicomTags.PlanarConfiguration: header.PlanarConfiguration = UInt16(element, value, bigEndian); break;
            case DicomTags.NumberOfFrames: header.NumberOfFrames = Integer(element, value); break;
            case DicomTags.Rows: header.Rows = UInt16(element, value, bigEndian); break;
            case DicomTags.Columns: header.Columns = UInt16(element, value, bigEndian); break;
            case DicomTags.PixelSpacing: header.PixelSpacing = AllNumbers(element, value); break;
            case DicomTags.BitsAllocated: header.BitsAllocated = UInt16(element, value, bigEndian); break;
            case DicomTags.BitsStored: header.BitsStored = UInt16(element, value, bigEndian); break;
            case DicomTags.HighBit: header.HighBit = UInt16(element, value, bigEndian); break;
            case DicomTags.PixelRepresentation: header.PixelRepresentation = UInt16(element, value, bigEndian); break;
            case DicomTags.WindowCenter: header.WindowCenter = Numbers(element, value); break;
            case DicomTags.WindowWidth: header.WindowWidth = Numbers(element, value); break;
            case DicomTags.RescaleIntercept: header.RescaleIntercept = Numbers(element, value); break;
            case DicomTags.RescaleSlope: header.RescaleSlope = Numbers(element, value); break;
            case DicomTags.FloatPixelData or DicomTags.DoubleFloatPixelData: header.PixelData = PixelDataKind.Float; break;
            case DicomTags.PixelData:
                if (element.Vr != 0 && element.Vr != OB && element.Vr != OW)
                {
                    throw DicomElementCursor.Malformed("Pixel Data is neither OB nor OW.");
                }

                header.PixelData = PixelDataKind.Native;
                header.PixelDataValue = new ByteRange(element.ValueOffset, value.Length);
                header.PixelDataVr = element.Vr;
                break;
            default: break;
        }
    }

    /// <summary>Text of a CS/UI value without its padding (PS3.5 6.2: trailing space or NUL).</summary>
    public static string Text(ReadOnlySpan<byte> value)
    {
        if (value.Length > MaxTextLength)
        {
            throw DicomElementCursor.Malformed("A text attribute of the image is implausibly long.");
        }

        return Encoding.ASCII.GetString(value).Trim(' ', '\0');
    }

    /// <summary>A value from the file, fit to quote in a message: only when it is short and plainly technical.</summary>
    public static string Printable(string value) =>
        value.Length <= 64 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or ' ' or '_' or '-') ? value : "(not printable)";

    // PS3.5 6.2: CS is upper-case letters, digits, space and underscore.
    private static bool IsCodeString(string value) => value.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c is ' ' or '_');

    private static int? UInt16(DicomElement element, ReadOnlySpan<byte> value, bool bigEndian) => value.Length switch
    {
        0 => null,
        2 => bigEndian ? (value[0] << 8) | value[1] : value[0] | (value[1] << 8),
        _ => throw DicomElementCursor.Malformed($"Attribute {DicomElement.Describe(element.Tag)} is not one 16-bit value."),
    };

    /// <summary>The first value of a multi-valued IS/DS (PS3.3 C.11.2.1.2: the first window is the default one).</summary>
    private static double? Numbers(DicomElement element, ReadOnlySpan<byte> value) =>
        AllNumbers(element, value) is [var first, ..] ? first : null;

    private static int? Integer(DicomElement element, ReadOnlySpan<byte> value) => Numbers(element, value) switch
    {
        null => null,
        var n when n == Math.Floor(n.Value) && n >= int.MinValue && n <= int.MaxValue => (int)n.Value,
        _ => throw DicomElementCursor.Malformed($"Attribute {DicomElement.Describe(element.Tag)} is not an integer."),
    };

    private static double[]? AllNumbers(DicomElement element, ReadOnlySpan<byte> value)
    {
        var text = Text(value);
        if (text.Length == 0)
        {
            return null;
        }

        var parts = text.Split('\\');
        var numbers = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i]) || !double.IsFinite(numbers[i]))
            {
                throw DicomElementCursor.Malformed($"Attribute {DicomElement.Describe(element.Tag)} is not a decimal number.");
            }
        }

        return numbers;
    }
}
