#:project ../src/ExplainApi.Onnx/ExplainApi.Onnx.csproj
// The inputs scripts/memory-bursts.sh sends: a small forward-only ONNX classifier (3×224×224 → Conv(4, 3×3) → ReLU → GAP →
// Linear(2); realistic input size, negligible compute) with its import spec, a legal KServe request for it (4 images, JSON
// and binary) and a legal 4096² 16-bit PNG (a smooth gradient: small on the wire, 16 Mpixel decoded).
// Usage: dotnet run scripts/memory-inputs.cs -- OUT_DIR
using System.Runtime.InteropServices;
using System.Text;
using ExplainApi.Core.Rendering;
using ExplainApi.Onnx.Export;
using static ExplainApi.Onnx.Export.OnnxGraphBuilder;

const int channels = 3, size = 224, kernels = 4, classes = 2;
var random = new Random(8);
float[] Weights(int n) => [.. Enumerable.Range(0, n).Select(_ => (float)((random.NextDouble() - 0.5) * 0.5))];

var g = new OnnxGraphBuilder("memory_probe");
g.AddInput("input", channels, size, size);
g.AddInitializer("conv.weight", Weights(kernels * channels * 9), kernels, channels, 3, 3);
g.AddInitializer("conv.bias", Weights(kernels), kernels);
g.AddInitializer("fc.weight", Weights(classes * kernels), classes, kernels);
g.AddInitializer("fc.bias", Weights(classes), classes);
g.AddNode("Conv", ["input", "conv.weight", "conv.bias"], ["conv"], IntsAttribute("pads", 1, 1, 1, 1));
g.AddNode("Relu", ["conv"], ["features.relu"]);
g.AddNode("GlobalAveragePool", ["features.relu"], ["pooled"]);
g.AddNode("Flatten", ["pooled"], ["features"], IntAttribute("axis", 1));
g.AddNode("Gemm", ["features", "fc.weight", "fc.bias"], ["logits"], IntAttribute("transB", 1));
g.AddOutput("logits", classes);

var output = Directory.CreateDirectory(args[0]).FullName;
File.WriteAllBytes(Path.Combine(output, "probe.onnx"), g.ToBytes("memory-bursts"));
File.WriteAllText(Path.Combine(output, "probe.json"), $$"""
    {"name":"probe","input":{"channels":{{channels}},"height":{{size}},"width":{{size}},"name":"input","allowResize":false,
     "normalization":"window-standardize","mean":[0.5,0.5,0.5],"std":[0.5,0.5,0.5]},"classNames":["a","b"],"targetTensor":"features.relu"}
    """);

const int images = 4;
var values = Enumerable.Range(0, images * channels * size * size).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
var parameters = "\"parameters\":{\"method\":\"eigencam\"}";
File.WriteAllText(Path.Combine(output, "legal.json"), $"{{\"inputs\":[{{\"name\":\"input\",\"shape\":[{images},{channels},{size},{size}],\"datatype\":\"FP32\"," +
    $"\"data\":[{string.Join(',', values.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))}]}}],{parameters}}}");
var header = Encoding.UTF8.GetBytes($"{{\"inputs\":[{{\"name\":\"input\",\"shape\":[{images},{channels},{size},{size}],\"datatype\":\"FP32\"," +
    $"\"parameters\":{{\"binary_data_size\":{values.Length * 4}}}}}],{parameters}}}");
File.WriteAllBytes(Path.Combine(output, "legal.bin"), [.. header, .. MemoryMarshal.AsBytes(values.AsSpan()).ToArray()]);
File.WriteAllText(Path.Combine(output, "legal.bin.header-length"), header.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));

const int side = 4096;
var levels = new ushort[side * side];
for (var y = 0; y < side; y++)
{
    for (var x = 0; x < side; x++)
    {
        levels[(y * side) + x] = (ushort)((x + y) * 8);
    }
}

File.WriteAllBytes(Path.Combine(output, "render.png"), PngEncoder.EncodeGrey16(levels, side, side));
return 0;
