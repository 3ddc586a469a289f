using ExplainApi.Onnx;

namespace ExplainApi.Host.Platform;

/// <summary>Loads both native runtimes at start, so a broken install shows in the first log lines, and logs what it got.</summary>
public sealed class RuntimeStartupReporter(
    OnnxRuntimeInfo onnx, OnnxSessionFactory sessions, TorchRuntimeProbe torch, ILogger<RuntimeStartupReporter> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (sessions.Threads is { } plan)
        {
            logger.LogInformation("ONNX Runtime thread plan: {IntraOpThreads} intra-op thread(s) × {MaxConcurrentRuns} concurrent run(s) on {Processors} processors, idle threads spinning: {AllowSpinning}",
                plan.IntraOpThreads, plan.MaxConcurrentRuns, Environment.ProcessorCount, plan.AllowSpinning);
        }

        var provider = onnx.DefaultProvider;
        if (provider.FallbackReason is null)
        {
            logger.LogInformation("ONNX Runtime {OrtVersion} uses {ExecutionProvider}", onnx.Version, provider.Provider);
        }
        else
        {
            logger.LogInformation("ONNX Runtime {OrtVersion} uses {ExecutionProvider} (asked for {Requested}; fell back because {FallbackReason})",
                onnx.Version, provider.Provider, provider.Requested, provider.FallbackReason);
        }

        var (runtime, error) = torch.Result;
        if (runtime is null)
        {
            logger.LogWarning("libtorch unavailable, training disabled: {TorchError}", error);
        }
        else
        {
            logger.LogInformation("libtorch {LibTorchVersion} ({NativePackage}) on {TorchDevice}",
                runtime.Info.LibTorchVersion, runtime.Info.NativePackage, runtime.Info.Device);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
