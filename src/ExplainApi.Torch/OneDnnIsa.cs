using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ExplainApi.Torch;

/// <summary>
/// Turns libtorch's oneDNN (mkldnn) convolutions off, as <c>torch.backends.mkldnn.enabled = False</c> does (TorchSharp 0.107
/// has no switch). On the AMD EPYC CI machine libtorch 2.10's oneDNN 3.7.1 gave wrong gradients with its AVX-512 kernels in
/// 39 of 40 U-Net backward passes (OneDnnIsaTests); capped at SSE4.1 single passes were right, yet two seeded learning tests
/// trained far worse with it (multi-label AUROC 0.99 → 0.70, VA-GAN NCC 0.58 → 0.17). <c>EXPLAINAPI_TORCH_MKLDNN=1</c>
/// keeps oneDNN, capped at SSE4.1 unless <c>ONEDNN_MAX_CPU_ISA</c> says otherwise.
/// </summary>
public static partial class OneDnnIsa
{
    public const string SwitchVariable = "EXPLAINAPI_TORCH_MKLDNN";
    public const string IsaVariable = "ONEDNN_MAX_CPU_ISA";
    public const string DefaultCap = "SSE41";

    /// <summary>How libtorch convolves: "ATen (oneDNN off)" or, kept, "oneDNN ≤ {ISA}"; test failures name it.</summary>
    public static string Mode { get; private set; } = "libtorch default";

    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries",
        Justification = "It must run before any caller's first libtorch convolution, whichever type that caller touches first.")]
    internal static void Apply()
    {
        try
        {
            if (Environment.GetEnvironmentVariable(SwitchVariable) != "1")
            {
                SetUserEnabledMkldnn(GlobalContext(), enabled: false);
                Mode = "ATen (oneDNN off)";
                return;
            }
            var cap = Environment.GetEnvironmentVariable(IsaVariable) ?? Environment.GetEnvironmentVariable("DNNL_MAX_CPU_ISA");
            if (cap is null)
            {
                // The native environment, which oneDNN's getenv reads once at its first primitive (Environment.SetEnvironmentVariable is managed-only on Unix).
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
