namespace ExplainApi.Torch.Training.Classifier;

/// <summary>
/// Area under the ROC curve by ranking: AUROC = (R₊ − n₊(n₊+1)/2) / (n₊·n₋), where R₊ is the sum of the
/// positives' ranks among all scores (Mann–Whitney U; Hanley &amp; McNeil, Radiology 1982). Tied scores share
/// their mean rank, so a positive–negative tie counts ½.
/// </summary>
public static class Auroc
{
    /// <returns>The AUROC in [0, 1], or NaN when there are no positives or no negatives.</returns>
    public static double Compute(IReadOnlyList<double> scores, IReadOnlyList<bool> labels)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(labels);
        if (scores.Count != labels.Count)
        {
            throw new ArgumentException($"{scores.Count} scores but {labels.Count} labels.", nameof(labels));
        }
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        double positiveRankSum = 0;
        long positives = 0;
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && scores[order[end + 1]] == scores[order[start]])
            {
                end++;
            }
            var meanRank = (start + end) / 2.0 + 1; // ranks are 1-based
            for (var k = start; k <= end; k++)
            {
                if (labels[order[k]])
                {
                    positiveRankSum += meanRank;
                    positives++;
                }
            }
            start = end + 1;
        }
        var negatives = order.Length - positives;
        return positives == 0 || negatives == 0
            ? double.NaN
            : (positiveRankSum - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }
}
