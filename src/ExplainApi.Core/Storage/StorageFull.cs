namespace ExplainApi.Core.Storage;

/// <summary>
/// Recognises "the volume is full" (or the user's quota is), the one condition that becomes 507 Insufficient
/// Storage. On Unix .NET puts the raw errno in <see cref="Exception.HResult"/> (writing to /dev/full gives
/// IOException with HResult 28); on Windows it is the Win32 error as an HRESULT (0x8007xxxx).
/// </summary>
public static class StorageFull
{
    /// <summary>errno ENOSPC on Linux: no space left on device.</summary>
    public const int NoSpaceErrno = 28;

    /// <summary>errno EDQUOT on Linux: disk quota exceeded.</summary>
    public const int QuotaErrno = 122;

    private const int WindowsDiskFull = unchecked((int)0x80070070);       // ERROR_DISK_FULL
    private const int WindowsHandleDiskFull = unchecked((int)0x80070027); // ERROR_HANDLE_DISK_FULL

    /// <summary>True when <paramref name="exception"/>, or one it wraps, says the disk (or quota) is full.</summary>
    public static bool Is(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is InsufficientStorageException || (e is IOException && IsFullCode(e.HResult)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsFullCode(int hresult) => OperatingSystem.IsWindows()
        ? hresult is WindowsDiskFull or WindowsHandleDiskFull
        : hresult is NoSpaceErrno or QuotaErrno;
}
