using System.Reflection;
using System.Runtime.InteropServices;

namespace ExplainApi.Dicom;

/// <summary>
/// Makes GDCM's native glue loadable and quiet, once per process, before the first gdcm call.
/// <para>
/// gdcm-sharp.dll binds every P/Invoke to <c>[DllImport("gdcmsharpglue")]</c> (read from its metadata).
/// Debian's libgdcm-cil installs libgdcmsharpglue.so in /usr/lib/cli/gdcm-sharp-3.0, which is on no
/// loader search path, so a plain <c>dotnet test</c> or <c>dotnet run</c> would throw
/// DllNotFoundException. We register a DllImport resolver on the gdcm-sharp assembly that loads the glue
/// from the directory the build referenced (baked into this assembly as metadata by the csproj). We do
/// not copy the .so into the output instead: the glue links against the system's libgdcm*.so.3.0, and
/// loading it from where the package put it keeps the two in step across apt upgrades, for test runs,
/// dotnet run and a published host alike, with no LD_LIBRARY_PATH. If that file is missing the resolver
/// returns zero and the runtime's default probing (application directory, LD_LIBRARY_PATH) still applies.
/// </para>
/// </summary>
internal static class GdcmNative
{
    private const string GlueName = "gdcmsharpglue";
    private const string GlueFile = "libgdcmsharpglue.so";

    // The resolver runs once per P/Invoke signature; the handle is loaded once and shared.
    private static readonly Lazy<IntPtr> GlueHandle = new(LoadGlue);
    private static readonly Lazy<bool> Initialized = new(Initialize);

    /// <summary>Throws <see cref="InvalidOperationException"/> when GDCM cannot be loaded (a deployment problem, not bad input).</summary>
    public static void EnsureInitialized() => _ = Initialized.Value;

    internal static string? ConfiguredDirectory => typeof(GdcmNative).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .FirstOrDefault(a => a.Key == "GdcmSharpDirectory")?.Value;

    private static bool Initialize()
    {
        try
        {
            NativeLibrary.SetDllImportResolver(typeof(gdcm.Reader).Assembly, Resolve);
        }
        catch (InvalidOperationException)
        {
            // The host already registered a resolver for gdcm-sharp; it knows better where the glue is.
        }

        try
        {
            // GDCM's Trace writes warnings and errors to stderr, and they can quote element values, patient
            // attributes included. Never let them reach a log. These are process-wide flags inside GDCM,
            // set once here and never changed, so concurrent decodes see a constant value.
            gdcm.Trace.DebugOff();
            gdcm.Trace.WarningOff();
            gdcm.Trace.ErrorOff();
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException or BadImageFormatException)
        {
            throw new InvalidOperationException(
                $"GDCM's native glue {GlueFile} could not be loaded from '{ConfiguredDirectory}' or the default search path. " +
                "Install the Debian package libgdcm-cil (scripts/install-os-packages.sh does this).", e);
        }

        return true;
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName == GlueName ? GlueHandle.Value : IntPtr.Zero;

    private static IntPtr LoadGlue()
    {
        var directory = ConfiguredDirectory;
        return !string.IsNullOrEmpty(directory) && NativeLibrary.TryLoad(Path.Combine(directory, GlueFile), out var handle)
            ? handle
            : IntPtr.Zero;
    }
}
