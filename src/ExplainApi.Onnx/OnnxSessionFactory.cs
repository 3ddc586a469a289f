using Microsoft.ML.OnnxRuntime;

namespace ExplainApi.Onnx;

/// <summary>
/// Creates ONNX Runtime sessions on the preferred execution provider. CUDA is tried first for Auto and Cuda; any
/// failure (the CPU package has no CUDA provider, no driver, no GPU) falls back to an explicit CPU session and the
/// reason is returned, not logged, so the host logs it with its own logger. <see cref="CudaProviderSettings"/> configure
/// the CUDA provider (device, arena, cuDNN search); an <see cref="OrtThreadPlan"/>, when given, sets every session's threads
/// and <see cref="Runs"/> bounds the concurrent runs of the sessions served through <see cref="Serving.ModelSessionCache"/>.
/// </summary>
public sealed class OnnxSessionFactory(CudaProviderSettings? cuda = null, OrtThreadPlan? threads = null)
{
    public const string CudaProvider = "CUDAExecutionProvider";
    public const string CpuProvider = "CPUExecutionProvider";

    private readonly CudaProviderSettings cuda = cuda ?? new CudaProviderSettings();

    /// <summary>The thread plan, or null for ORT's defaults (one intra-op thread per core, no limit on runs).</summary>
    public OrtThreadPlan? Threads => threads;

    /// <summary>The process-wide run limit of <see cref="Threads"/>, or null.</summary>
    public OrtRunSlots? Runs { get; } = threads is null ? null : new OrtRunSlots(threads.MaxConcurrentRuns);

    /// <exception cref="OnnxModelLoadException">ONNX Runtime could not load the model.</exception>
    public OnnxSession Create(byte[] model, AcceleratorPreference preference)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Create(options => new InferenceSession(model, options), preference, $"{model.Length} bytes of model");
    }

    /// <exception cref="OnnxModelLoadException">ONNX Runtime could not load the model.</exception>
    public OnnxSession Create(string modelPath, AcceleratorPreference preference)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        return Create(options => new InferenceSession(modelPath, options), preference, Path.GetFileName(modelPath));
    }

    /// <summary>ORT version, compiled-in providers and the provider a session would get (no model needed).</summary>
    public OnnxRuntimeInfo DescribeRuntime(AcceleratorPreference preference = AcceleratorPreference.Auto)
    {
        string? fallbackReason = null;
        if (preference != AcceleratorPreference.Cpu)
        {
            using var options = new SessionOptions();
            fallbackReason = TryAppendCuda(options);
        }
        var provider = preference == AcceleratorPreference.Cpu || fallbackReason is not null ? CpuProvider : CudaProvider;
        var env = OrtEnv.Instance();
        return new OnnxRuntimeInfo(
            env.GetVersionString(), env.GetAvailableProviders(), new ExecutionProviderReport(provider, preference, fallbackReason));
    }

    private OnnxSession Create(Func<SessionOptions, InferenceSession> open, AcceleratorPreference preference, string source)
    {
        string? fallbackReason = null;
        if (preference != AcceleratorPreference.Cpu)
        {
            using var cuda = new SessionOptions();
            threads?.Apply(cuda);
            fallbackReason = TryAppendCuda(cuda);
            if (fallbackReason is null)
            {
                try
                {
                    return new OnnxSession(open(cuda), new ExecutionProviderReport(CudaProvider, preference, null));
                }
                catch (OnnxRuntimeException ex)
                {
                    // The CUDA provider loads its libraries lazily: a missing cuDNN shows up only here. A broken model
                    // fails again on CPU below and is reported from there.
                    fallbackReason = $"{CudaProvider} could not create the session: {ex.Message}";
                }
            }
        }

        // Session options are copied into the session, so disposing them afterwards is safe.
        using var cpu = new SessionOptions();
        cpu.AppendExecutionProvider_CPU(useArena: 1);
        threads?.Apply(cpu);
        try
        {
            return new OnnxSession(open(cpu), new ExecutionProviderReport(CpuProvider, preference, fallbackReason));
        }
        catch (OnnxRuntimeException ex)
        {
            throw new OnnxModelLoadException($"ONNX Runtime could not load the model ({source}): {ex.Message}", ex);
        }
    }

    /// <returns>Null when the CUDA provider was added, otherwise why not.</returns>
    private string? TryAppendCuda(SessionOptions options)
    {
        try
        {
            // The CPU package has the C API entry points but no provider: creating the options already fails there.
            using var provider = new OrtCUDAProviderOptions();
            provider.UpdateOptions(cuda.ToProviderOptions());
            options.AppendExecutionProvider_CUDA(provider);
            return null;
        }
        catch (Exception ex) when (ex is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
        {
            var available = string.Join(", ", OrtEnv.Instance().GetAvailableProviders());
            return $"{CudaProvider} (device {cuda.DeviceId}) is unavailable: {ex.Message} (this build has: {available})";
        }
    }
}
