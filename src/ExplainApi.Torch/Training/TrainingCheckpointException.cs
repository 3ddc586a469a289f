namespace ExplainApi.Torch.Training;

/// <summary>A checkpoint in the work directory that cannot be read or does not belong to this job (an IOException: a bad file, not a bug).</summary>
public sealed class TrainingCheckpointException : IOException
{
    public TrainingCheckpointException()
    {
    }

    public TrainingCheckpointException(string message) : base(message)
    {
    }

    public TrainingCheckpointException(string message, Exception? innerException) : base(message, innerException)
    {
    }
}
