namespace ExplainApi.Core.Segmentation;

/// <summary>
/// A CRF input the caller got wrong (a θ ≤ 0, NaN probabilities, a label count that does not match): a client mistake
/// the service answers with 400, unlike the plain <see cref="ArgumentException"/> of a programming error.
/// </summary>
public sealed class CrfInputException(string message) : ArgumentException(message);
