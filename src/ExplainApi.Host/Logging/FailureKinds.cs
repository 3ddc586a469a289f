namespace ExplainApi.Host.Logging;

/// <summary>
/// A coarse, fixed name for what went wrong. Error logs carry it with the exception's type and stack trace
/// instead of the exception itself: messages can quote client text (a multipart boundary, an ONNX node
/// name, a dataset reference), which must never reach a log.
/// </summary>
public static class FailureKinds
{
    public static string Of(Exception exception) => exception switch
    {
        OutOfMemoryException or InsufficientExecutionStackException => "resources-exhausted",
        UnauthorizedAccessException or IOException => "storage",
        TimeoutException or OperationCanceledException => "timeout-or-cancelled",
        NullReferenceException or InvalidCastException or IndexOutOfRangeException or ArgumentException => "programming-error",
        InvalidOperationException or NotSupportedException => "invalid-state",
        System.Runtime.InteropServices.ExternalException or DllNotFoundException or EntryPointNotFoundException => "native",
        _ => "unexpected",
    };
}
