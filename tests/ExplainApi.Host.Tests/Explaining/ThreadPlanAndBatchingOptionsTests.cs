using ExplainApi.Core.Saliency.Explaining;
using ExplainApi.Host.Explaining;
using ExplainApi.Host.Platform;
using ExplainApi.Host.Tests.Infrastructure;
using ExplainApi.Onnx;
using Microsoft.Extensions.DependencyInjection;

namespace ExplainApi.Host.Tests.Explaining;

/// <summary>The thread plan and the batching settings are validated at start and reach the session factory and the models.</summary>
public sealed class ThreadPlanAndBatchingOptionsTests
{
    [Theory]
    [InlineData("OnnxThreads:MaxConcurrentRuns", "100000", "MaxConcurrentRuns")]
    [InlineData("OnnxThreads:IntraOpThreads", "4096", "exceeds the")]
    [InlineData("Batching:MaxBatch", "0", "MaxBatch")]
    [InlineData("Batching:MaxQueueDelayMilliseconds", "-1", "MaxQueueDelayMilliseconds")]
    [InlineData("Batching:Models:conv:MaxBatch", "0", "Models:conv:MaxBatch")]
    public void A_bad_setting_stops_the_start_naming_it(string setting, string value, string named)
    {
        using var bad = new SettingsFactory(new Dictionary<string, string?> { ["ExplainApi:" + setting] = value });

        Assert.Contains(named, bad.StartFailure(), StringComparison.Ordinal);
    }

    [Fact]
    public void By_default_each_processor_runs_one_single_threaded_run_and_batching_is_off()
    {
        using var factory = new SettingsFactory(new Dictionary<string, string?>());
        using var client = factory.CreateClient();

        var sessions = factory.Services.GetRequiredService<OnnxSessionFactory>();

        Assert.Equal(new OrtThreadPlan(1, OnnxThreadOptions.Processors, AllowSpinning: false), sessions.Threads);
        Assert.Equal(OnnxThreadOptions.Processors, sessions.Runs!.MaxConcurrentRuns);
        Assert.Null(new BatchingOptions().For("any"));
    }

    [Fact]
    public void Per_model_settings_override_the_section_and_can_turn_batching_off()
    {
        var options = new BatchingOptions { Enabled = true, MaxBatch = 8, MaxQueueDelayMilliseconds = 3 };
        options.Models["big"] = new ModelBatchingOptions { MaxBatch = 2 };
        options.Models["off"] = new ModelBatchingOptions { Enabled = false };

        Assert.Equal(new BatchingSettings(8, TimeSpan.FromMilliseconds(3)), options.For("other"));
        Assert.Equal(new BatchingSettings(2, TimeSpan.FromMilliseconds(3)), options.For("big"));
        Assert.Null(options.For("off"));
        Assert.Null(new BatchingOptions { Enabled = false }.For("other"));
        Assert.NotNull(new BatchingOptions { Models = { ["on"] = new ModelBatchingOptions { Enabled = true } } }.For("on"));
    }

    private sealed class SettingsFactory(IDictionary<string, string?> settings) : ExplainApiFactory
    {
        protected override IDictionary<string, string?> ExtraSettings => settings;
    }
}
