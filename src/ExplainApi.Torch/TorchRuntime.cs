using TorchSharp;

namespace ExplainApi.Torch;

/// <summary>What the host reports about libtorch at startup and in readiness.</summary>
/// <param name="Device">Where inference runs: <c>cuda</c> (first GPU) or <c>cpu</c>.</param>
/// <param name="LibTorchVersion">The libtorch TorchSharp was built against, e.g. 2.10.0.</param>
/// <param name="TorchSharpVersion">The TorchSharp managed assembly version.</param>
/// <param name="NativePackage">The native package this build ships (set by -p:TorchAccelerator).</param>
public sealed record TorchRuntimeInfo(string Device, string LibTorchVersion, string TorchSharpVersion, string NativePackage);

/// <summary>
/// Loads libtorch once and picks the device: CUDA when libtorch sees a GPU, otherwise CPU.
/// Create it once at startup (a singleton) so a broken native install fails there, not on the first request.
/// </summary>
public sealed class TorchRuntime
{
#if TORCH_CUDA
    private const string NativePackage = "TorchSharp-cuda-linux";
#else
    private const string NativePackage = "TorchSharp-cpu";
#endif

    private TorchRuntime(torch.Device device, TorchRuntimeInfo info)
    {
        Device = device;
        Info = info;
    }

    /// <summary>The device models and inputs should be moved to.</summary>
    public torch.Device Device { get; }

    public TorchRuntimeInfo Info { get; }

    /// <exception cref="TorchRuntimeUnavailableException">libtorch or LibTorchSharp could not be loaded.</exception>
    public static TorchRuntime Initialize()
    {
        try
        {
            // The first call runs torch's static constructor, which loads libLibTorchSharp.so and libtorch.
            torch.InitializeDeviceType(DeviceType.CPU);
            ConfigureThreads();
        }
        catch (Exception ex) when (ex is TypeInitializationException or DllNotFoundException or NotSupportedException)
        {
            // TorchSharp's own message (first line) blames a missing package even when dlopen failed for another
            // reason; on Debian 12 that reason is GLIBCXX_3.4.32, so name it.
            var cause = ex.GetBaseException().Message.Split('\n')[0];
            throw new TorchRuntimeUnavailableException(
                $"libtorch could not be loaded: {cause} On Debian 12 check that the build patched libLibTorchSharp.so "
                + "(build/TorchSharpGlibcxxFix.targets, -p:PatchLibTorchSharpGlibcxx).", ex);
        }

        var device = torch.cuda.is_available() ? torch.CUDA : torch.CPU;
        var info = new TorchRuntimeInfo(
            device.type == DeviceType.CUDA ? "cuda" : "cpu",
            torch.__version__,
            typeof(torch).Assembly.GetName().Version?.ToString(3) ?? "unknown",
            NativePackage);
        return new TorchRuntime(device, info);
    }

    /// <summary>
    /// libtorch's intra-op thread count is process-wide. It gets half the cores (at least one), so
    /// training never takes the core that serves requests; on a 2-core machine two libtorch threads
    /// also fight each other (measured: a 400-step logistic regression took 6.5 s with 2, 0.8 s with 1).
    /// </summary>
    public static void ConfigureThreads() => torch.set_num_threads(Math.Max(1, Environment.ProcessorCount / 2));
}
