using Microsoft.ML.OnnxRuntime;

namespace ExplainApi.Onnx;

/// <summary>An inference session together with the execution provider it ended up on.</summary>
public sealed class OnnxSession : IDisposable
{
    internal OnnxSession(InferenceSession session, ExecutionProviderReport provider)
    {
        Session = session;
        Provider = provider;
    }

    public InferenceSession Session { get; }

    /// <summary>Log this once per model load: it says whether CUDA was used and, if not, why.</summary>
    public ExecutionProviderReport Provider { get; }

    public void Dispose() => Session.Dispose();
}
