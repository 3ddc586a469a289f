using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ExplainApi.Dicom;

/// <summary>
/// A file GDCM can open by name (its reader takes a file name; the C# binding exposes no stream
/// reader), holding bytes that must never outlive the request: they are patient images.
/// <para>
/// On Linux it is an anonymous memfd (memfd_create(2)) opened through /proc/self/fd: it never touches a
/// disk and the kernel frees it when the last descriptor closes, even if the process dies. Where memfd
/// or /proc is unavailable it falls back to an owner-only (0600) temp file deleted on close.
/// </para>
/// </summary>
internal sealed partial class ScratchFile : IDisposable
{
    private const uint MfdCloexec = 1;

    private ScratchFile(string path, FileStream stream)
    {
        Path = path;
        Stream = stream;
    }

    public string Path { get; }

    public FileStream Stream { get; }

    public static ScratchFile Create(bool allowMemfd = true)
    {
        if (allowMemfd && OperatingSystem.IsLinux() && Directory.Exists("/proc/self/fd"))
        {
            var fd = MemfdCreate("explainapi-dicom", MfdCloexec);
            if (fd >= 0)
            {
                var handle = new SafeFileHandle(fd, ownsHandle: true);
                return new ScratchFile($"/proc/self/fd/{fd}", new FileStream(handle, FileAccess.ReadWrite));
            }
        }

        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"explainapi-{Guid.NewGuid():N}.dcm");
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.Read,
            Options = FileOptions.DeleteOnClose,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return new ScratchFile(path, new FileStream(path, options));
    }

    public void Dispose() => Stream.Dispose();

    [LibraryImport("libc", EntryPoint = "memfd_create", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int MemfdCreate(string name, uint flags);
}
