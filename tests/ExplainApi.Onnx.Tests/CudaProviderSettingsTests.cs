namespace ExplainApi.Onnx.Tests;

public sealed class CudaProviderSettingsTests
{
    [Fact]
    public void The_defaults_are_ORTs_own_and_set_no_memory_limit()
    {
        var options = new CudaProviderSettings().ToProviderOptions();

        Assert.Equal(new Dictionary<string, string>
        {
            ["device_id"] = "0", ["arena_extend_strategy"] = "kNextPowerOfTwo", ["cudnn_conv_algo_search"] = "EXHAUSTIVE",
        }, options);
    }

    [Fact]
    public void Settings_map_to_ORTs_provider_option_keys_whatever_the_case_of_the_names()
    {
        var options = new CudaProviderSettings(1, "sameasrequested", 2L << 30, "heuristic").ToProviderOptions();

        Assert.Equal("1", options["device_id"]);
        Assert.Equal("kSameAsRequested", options["arena_extend_strategy"]);
        Assert.Equal("2147483648", options["gpu_mem_limit"]);
        Assert.Equal("HEURISTIC", options["cudnn_conv_algo_search"]);
    }

    [Fact]
    public void An_unknown_search_mode_is_refused_with_the_allowed_values()
    {
        var ex = Assert.Throws<ArgumentException>(() => new CudaProviderSettings(CudnnConvAlgoSearch: "Fastest").ToProviderOptions());

        Assert.Contains("Exhaustive, Heuristic, Default", ex.Message);
    }
}
