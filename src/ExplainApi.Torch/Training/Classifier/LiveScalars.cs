using TorchSharp;

namespace ExplainApi.Torch.Training.Classifier;

/// <summary>
/// Scalars that live as long as the process. TorchSharp 0.107 turns a number passed as a Scalar (e.g. the
/// implicit alpha = 1 of <c>add_(other)</c>) into a native at::Scalar owned by a finalizable object that nothing
/// keeps alive during the native call; a GC on another thread can finalize and free it while libtorch reads it.
/// On an int64 tensor that read fails with "For integral input tensors, argument alpha must not be a floating
/// point number" (reproduced by KeptAliveBatchNorm2dTests); on a float tensor it reads whatever reused the memory.
/// </summary>
internal static class LiveScalars
{
    public static readonly Scalar One = 1L.ToScalar();
    public static readonly Scalar Zero = 0L.ToScalar();
}
