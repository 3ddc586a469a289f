using System.Globalization;
using System.Text.Json;
using ExplainApi.Core.Rendering;
using ExplainApi.Core.Saliency.Explaining;
using ExplainApi.Host.Tests.Infrastructure;
using ExplainApi.Onnx.Serving.Adapters;

namespace ExplainApi.Host.Tests.Explaining;

/// <summary>
/// Dynamic batching through HTTP: requests that arrive together share batched ORT calls (a batch of 4 items waits up
/// to 300 ms, so four concurrent requests fill it) and still get exactly the maps they get one at a time.
/// </summary>
public sealed class DynamicBatchingTests() : ConvNetApplication(new Dictionary<string, string?>
{
    ["ExplainApi:Batching:Enabled"] = "true",
    ["ExplainApi:Batching:MaxBatch"] = "2",
    ["ExplainApi:Batching:Models:conv:MaxBatch"] = "4",
    ["ExplainApi:Batching:Models:conv:MaxQueueDelayMilliseconds"] = "300",
    ["ExplainApi:Explain:MaxConcurrentExplanations"] = "8",
})
{
    private const string Query = "/v1/models/conv/saliency?method=gradcam,gradcampp,gradient&raw=true";

    [Fact]
    public void The_served_model_is_batched_with_its_own_settings()
    {
        Assert.True(Cache.TryGet("conv", 1, out var loaded));

        var settings = loaded.ExplainShared(m => Assert.IsType<BatchingExplainableModel>(m).Settings);

        Assert.Equal(new BatchingSettings(4, TimeSpan.FromMilliseconds(300)), settings);
    }

    [Fact]
    public async Task Concurrent_requests_get_the_same_maps_and_predictions_as_sequential_ones()
    {
        byte[][] images = [.. Enumerable.Range(0, 4).Select(Image)];
        var sequential = new List<string[]>();
        foreach (var image in images)
        {
            sequential.Add(await MapsAsync(image));
        }

        var concurrent = await Task.WhenAll(images.Select(image => Task.Run(() => MapsAsync(image))));

        for (var i = 0; i < images.Length; i++)
        {
            Assert.Equal(sequential[i].Length, concurrent[i].Length);
            for (var m = 0; m < sequential[i].Length; m++)
            {
                AssertClose(sequential[i][m], concurrent[i][m]);
            }
        }

        Assert.NotEqual(sequential[0][^1], sequential[1][^1]); // the images differ, so a mixed-up split would show
        Assert.Equal(0, Cache.OrtValues.Live);
    }

    /// <summary>The raw maps of each method, then the probabilities, as text.</summary>
    private async Task<string[]> MapsAsync(byte[] png)
    {
        using var response = await Client.PostAsync(Query, TestImages.PngContent(png));
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var image = json.RootElement.GetProperty("images")[0];
        var maps = image.GetProperty("explanations").EnumerateArray().Select(e => e.GetProperty("raw").GetString()!);
        var probabilities = string.Join(',', image.GetProperty("predictions").EnumerateArray()
            .OrderBy(p => p.GetProperty("index").GetInt32()).Select(p => p.GetProperty("probability").GetDouble().ToString("R", CultureInfo.InvariantCulture)));
        return [.. maps, probabilities];
    }

    private static void AssertClose(string expected, string actual)
    {
        if (expected.Contains(',', StringComparison.Ordinal))
        {
            var (e, a) = (expected.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray(), actual.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray());
            Assert.All(e.Zip(a), p => Assert.Equal(p.First, p.Second, 5));
            return;
        }

        // A batched convolution may sum in another order than a single one: equal up to float rounding.
        var (x, y) = (RawFloat32.Decode(Convert.FromBase64String(expected)), RawFloat32.Decode(Convert.FromBase64String(actual)));
        Assert.Equal(x.Length, y.Length);
        Assert.All(x.Zip(y), p => Assert.Equal(p.First, p.Second, 4));
    }

    /// <summary>An 8×8 grey PNG, different for each seed.</summary>
    private static byte[] Image(int seed) =>
        PngEncoder.Encode([.. Enumerable.Range(0, 64).Select(i => (byte)((i * (7 + (5 * seed))) + (seed * 31)))], 8, 8, PngPixelFormat.Grey8);
}
