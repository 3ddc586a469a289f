using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ExplainApi.Torch;

/// <summary>
/// Caps libtorch's oneDNN (mkldnn) convolutions at SSE4.1 kernels. On the AMD EPYC CI machine libtorch 2.10's bundled
/// oneDNN 3.7.1 returned wrong convolution gradients with its AVX-512 kernels in 39 of 40 backward passes of a small
/// U-Net (off by more than 5 % of the float64 reference, some NaN, at 1 or 2 threads) and in 1–3 of 40 at AVX2; at
/// SSE4.1, 0 of 40 (OneDnnIsaTests). SSE4.1 oneDNN still trains the classifiers ~2× faster than ATen's own im2col
/// convolution. <c>ONEDNN_MAX_CPU_ISA</c> set by the operator wins; <c>EXPLAINAPI_TORCH_MKLDNN=0</c> turns oneDNN off.
/// </summary>
public static partial class OneDnnIsa
{
    public const string SwitchVariable = "EXPLAINAPI_TORCH_MKLDNN";
    public const string IsaVariable = "ONEDNN_MAX_CPU_ISA";
    public const string DefaultCap = "SSE41";

    /// <summary>How libtorch convolves: "oneDNN ≤ {ISA}" or "ATen (oneDNN off)", for the startup log and the runtime info.</summary>
    public static string Mode { get; private set; } = "libtorch default";

    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries",
        Justification = "oneDNN reads its ISA cap once, at its first primitive: this must run before any caller's first convolution.")]
    internal static void Apply()
    {
        try
        {
            if (Environment.GetEnvironmentVariable(SwitchVariable) == "0")
            {
                SetUserEnabledMkldnn(GlobalContext(), enabled: false);
                Mode = "ATen (oneDNN off)";
                return;
            }
            var cap = Environment.GetEnvironmentVariable(IsaVariable) ?? Environment.GetEnvironmentVariable("DNNL_MAX_CPU_ISA");
            if (cap is null)
            {
                // The native environment, which oneDNN's getenv reads (Environment.SetEnvironmentVariable is managed-only on Unix).
                SetEnv(IsaVariable, DefaultCap, overwrite: 1);
                cap = DefaultCap;
            }
            Mode = $"oneDNN ≤ {cap}";
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // Another platform or libtorch build: its own default stays.
        }
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);

    [LibraryImport("libtorch_cpu", EntryPoint = "_ZN2at13globalContextEv")]
    private static partial IntPtr GlobalContext();

    [LibraryImport("libtorch_cpu", EntryPoint = "_ZN2at7Context20setUserEnabledMkldnnEb")]
    private static partial void SetUserEnabledMkldnn(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);
}
