namespace ExplainApi.Torch;

/// <summary>libtorch or LibTorchSharp could not be loaded; the host reports it as not ready.</summary>
public sealed class TorchRuntimeUnavailableException : Exception
{
    public TorchRuntimeUnavailableException()
    {
    }

    public TorchRuntimeUnavailableException(string message)
        : base(message)
    {
    }

    public TorchRuntimeUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
