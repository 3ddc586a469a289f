namespace ExplainApi.Torch.Training;

/// <summary>A step's loss was NaN or infinite: the weights cannot be trusted any more, so the job fails with that reason.</summary>
public sealed class TrainingDivergedException : InvalidOperationException
{
    public TrainingDivergedException()
    {
    }

    public TrainingDivergedException(string message) : base(message)
    {
    }

    public TrainingDivergedException(string message, Exception? innerException) : base(message, innerException)
    {
    }
}
