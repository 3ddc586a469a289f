using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ExplainApi.Torch;

/// <summary>
/// Turns off libtorch's oneDNN (mkldnn) convolutions, as <c>torch.backends.mkldnn.enabled = False</c> does (TorchSharp
/// 0.107 has no such switch, so at::globalContext() is called directly). On this AMD EPYC, libtorch 2.10's oneDNN
/// convolution backward returned NaN gradients intermittently: 3–13 of 20 passes of a small U-Net with its AVX-512
/// kernels, and every SSDD difference-detector run with them capped at AVX2 (OneDnnIsaTests). ATen's own convolution
/// (im2col + GEMM) is used instead. Set <c>EXPLAINAPI_TORCH_MKLDNN=1</c> to keep oneDNN.
/// </summary>
internal static partial class OneDnnIsa
{
    public const string KeepVariable = "EXPLAINAPI_TORCH_MKLDNN";

    /// <summary>Whether oneDNN was turned off (false when kept by the variable or when libtorch_cpu lacks the entry points).</summary>
    public static bool Disabled { get; private set; }

    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries",
        Justification = "It must run before any caller's first libtorch convolution, whichever type that caller touches first.")]
    internal static void Apply()
    {
        if (Environment.GetEnvironmentVariable(KeepVariable) == "1")
        {
            return;
        }
        try
        {
            SetUserEnabledMkldnn(GlobalContext(), enabled: false);
            Disabled = true;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // A libtorch without these symbols (another version or platform): its own default stays.
        }
    }

    [LibraryImport("libtorch_cpu", EntryPoint = "_ZN2at13globalContextEv")]
    private static partial IntPtr GlobalContext();

    [LibraryImport("libtorch_cpu", EntryPoint = "_ZN2at7Context20setUserEnabledMkldnnEb")]
    private static partial void SetUserEnabledMkldnn(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);
}
