using System.Text.Json;
using ExplainApi.Host.Explaining;

namespace ExplainApi.Host.Models;

/// <summary>The small parts of a KServe request (everything but <c>inputs[0].data</c>), kept as JSON elements and checked.</summary>
internal sealed partial class KServeTensorParser
{
    /// <summary>A value small enough to keep as a DOM; false (nothing consumed) while its bytes are incomplete.</summary>
    private bool Small(ref Utf8JsonReader reader, At next)
    {
        if (!JsonElement.TryParseValue(ref reader, out var parsed))
        {
            return false;
        }

        var element = parsed!.Value;
        at = next;
        switch (key)
        {
            case "id" when next == At.RootKey:
                Id = element.ValueKind is JsonValueKind.String or JsonValueKind.Null ? element.GetString() : Invalid<string>("'id' must be a string.");
                break;
            case "parameters" when next == At.RootKey:
                parameters = element;
                Parameters = element.ValueKind == JsonValueKind.Object
                    ? element.EnumerateObject().GroupBy(p => p.Name).ToDictionary(g => g.Key, g => g.Last().Value) // a repeated key: the last wins
                    : Invalid<Dictionary<string, JsonElement>>("'parameters' must be an object.");
                BinaryOutputs = KServeBinaryOutputs.From(element, outputs);
                break;
            case "outputs" when next == At.RootKey:
                outputs = element.ValueKind == JsonValueKind.Array ? element : Invalid<JsonElement?>("'outputs' must be an array.");
                RequestedOutputs = outputs is { } list && list.EnumerateArray().All(o => o.ValueKind == JsonValueKind.Object && o.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String)
                    ? [.. list.EnumerateArray().Select(o => o.GetProperty("name").GetString()!)]
                    : Invalid<IReadOnlyList<string>>("'outputs' must be an array of objects with a string 'name'.");
                BinaryOutputs = KServeBinaryOutputs.From(parameters, outputs);
                break;
            case "name" when next == At.InputKey:
                InputName = element.ValueKind == JsonValueKind.String ? element.GetString() : Invalid<string>("The input tensor's 'name' must be a string.");
                break;
            case "datatype" when next == At.InputKey:
                Datatype = element.ValueKind == JsonValueKind.String ? element.GetString() : null;
                if (Datatype != "FP32")
                {
                    Invalid("The input tensor's datatype must be FP32.");
                }

                break;
            case "shape" when next == At.InputKey:
                CheckShape(element);
                break;
            case "parameters" when next == At.InputKey:
                BinaryDataSize = element.ValueKind == JsonValueKind.Object && element.TryGetProperty("binary_data_size", out var size)
                    && size.TryGetInt64(out var bytes) ? bytes : null;
                break;
        }

        return true;
    }

    private void CheckShape(JsonElement element)
    {
        long[]? shape = element.ValueKind == JsonValueKind.Array && element.GetArrayLength() == 4
            && element.EnumerateArray().All(d => d.TryGetInt64(out _)) ? [.. element.EnumerateArray().Select(d => d.GetInt64())] : null;
        if (shape is not [var n, var c, var h, var w] || n < 1 || n > ExplainExecution.MaxImagesPerRequest || c != spec.Channels || h != spec.Height || w != spec.Width)
        {
            at = At.End;
            Problem = SaliencyProblems.ShapeMismatch(
                $"The input's shape is not [N, {spec.Channels}, {spec.Height}, {spec.Width}] with N from 1 to {ExplainExecution.MaxImagesPerRequest}.",
                spec.Channels, spec.Height, spec.Width);
            return;
        }

        Shape = shape;
        if (count > Expected)
        {
            Invalid($"Input data holds more than the {Expected} values its shape allows.");
        }
    }
}
