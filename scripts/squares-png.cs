#:project ../src/ExplainApi.Core/ExplainApi.Core.csproj
// Writes samples of the synthetic squares set (SquaresDataset, METHODS.md §5) as 16-bit grey PNGs, for the README
// figure (scripts/readme-figure.sh). Usage: dotnet run scripts/squares-png.cs -- OUT_DIR SEED INDEX...
// The file is named squares-{seed}-{index}-{subtype}.png; its values are the sample's [-1, 1] pixels mapped to 0..65535.
using ExplainApi.Core.Datasets;
using ExplainApi.Core.Rendering;

if (args.Length < 3)
{
    Console.Error.WriteLine("usage: squares-png.cs OUT_DIR SEED INDEX...");
    return 2;
}

var output = Directory.CreateDirectory(args[0]).FullName;
var dataset = new SquaresDataset(seed: int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture));
foreach (var index in args[2..].Select(a => int.Parse(a, System.Globalization.CultureInfo.InvariantCulture)))
{
    var sample = dataset.Get(index);
    var levels = sample.Pixels.Select(v => (ushort)Math.Round(Math.Clamp((v + 1) / 2, 0, 1) * ushort.MaxValue)).ToArray();
    var path = Path.Combine(output, $"squares-{args[1]}-{index}-{dataset.SubtypeOf(index)}.png");
    File.WriteAllBytes(path, PngEncoder.EncodeGrey16(levels, dataset.Width, dataset.Height));
    var boxes = string.Join(" ", dataset.BoxesOf(index).Select(b => $"({b.Left},{b.Top},{b.Side})"));
    Console.WriteLine($"{path} class={SquaresDataset.Classes[sample.Label]} subtype={dataset.SubtypeOf(index)} boxes(left,top,side)={boxes}");
}

return 0;
