namespace ExplainApi.Onnx;

/// <summary>Which execution provider a session should run on.</summary>
public enum AcceleratorPreference
{
    /// <summary>CUDA when this ONNX Runtime build and machine can run it, otherwise CPU.</summary>
    Auto,

    /// <summary>Try CUDA; falls back to CPU with a reason, so the caller can decide whether that is acceptable.</summary>
    Cuda,

    /// <summary>CPU only, never tries CUDA.</summary>
    Cpu,
}
