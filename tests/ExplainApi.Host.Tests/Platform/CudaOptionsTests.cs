using ExplainApi.Host.Tests.Infrastructure;

namespace ExplainApi.Host.Tests.Platform;

public sealed class CudaOptionsTests
{
    [Theory]
    [InlineData("DeviceId", "-1")]
    [InlineData("ArenaExtendStrategy", "Doubling")]
    [InlineData("MemoryLimitBytes", "-5")]
    [InlineData("CudnnConvAlgoSearch", "Fastest")]
    public void A_bad_cuda_setting_stops_the_service_at_start(string setting, string value)
    {
        using var bad = new CudaSettingFactory(setting, value);

        Assert.Contains(setting, bad.StartFailure(), StringComparison.Ordinal);
    }

    [Fact]
    public void Valid_cuda_settings_start_the_service_in_any_case()
    {
        using var factory = new CudaSettingFactory("CudnnConvAlgoSearch", "heuristic");

        Assert.NotNull(factory.CreateClient());
    }

    private sealed class CudaSettingFactory(string setting, string value) : ExplainApiFactory
    {
        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["ExplainApi:Cuda:" + setting] = value };
    }
}
