using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ExplainApi.Torch;

/// <summary>
/// Caps oneDNN (libtorch's CPU convolutions) at AVX2 unless the operator set <c>DNNL_MAX_CPU_ISA</c>: on this AMD EPYC
/// with AVX-512, libtorch 2.x's oneDNN convolution backward returned NaN gradients in 3–13 of 20 passes of a small U-Net
/// (OneDnnIsaTests; 0 of 100 with the cap), which silently ruined training. Set before the first convolution, as oneDNN
/// reads the variable once; on Linux only the C library's environment reaches it, hence setenv.
/// </summary>
internal static partial class OneDnnIsa
{
    public const string Variable = "DNNL_MAX_CPU_ISA", Cap = "AVX2";

    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries",
        Justification = "It must run before any caller's first libtorch convolution, whichever type that caller touches first.")]
    internal static void Apply()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 })
        {
            return;
        }
        Environment.SetEnvironmentVariable(Variable, Cap);
        if (!OperatingSystem.IsWindows())
        {
            _ = SetEnv(Variable, Cap, overwrite: 0);
        }
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
