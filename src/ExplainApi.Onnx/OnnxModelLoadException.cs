namespace ExplainApi.Onnx;

/// <summary>ONNX Runtime refused a model (malformed bytes, missing file, unsupported operator or opset).</summary>
public sealed class OnnxModelLoadException : Exception
{
    public OnnxModelLoadException()
    {
    }

    public OnnxModelLoadException(string message)
        : base(message)
    {
    }

    public OnnxModelLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
