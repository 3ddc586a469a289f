namespace ExplainApi.Core.Segmentation;

/// <summary>
/// Unary potentials ψ_u (C × H × W, label-major) as pydensecrf's utils make them: −log(clip(p, 1e-5, 1)) from class
/// probabilities (<c>unary_from_softmax</c>) and from a hard label map with a confidence (<c>unary_from_labels</c>).
/// </summary>
public static class CrfUnary
{
    public const float Clip = 1e-5f;

    /// <summary>How far a pixel's probabilities may sum from 1 (float softmax outputs are far closer).</summary>
    public const float SumTolerance = 1e-3f;

    /// <summary>−log(clip(p, 1e-5, 1)) per value; an all-zero pixel gets equal unaries, i.e. "no information".</summary>
    public static float[] FromProbabilities(ReadOnlySpan<float> probabilities)
    {
        var unary = new float[probabilities.Length];
        for (var i = 0; i < unary.Length; i++)
        {
            unary[i] = -MathF.Log(Math.Clamp(probabilities[i], Clip, 1f));
        }

        return unary;
    }

    /// <summary>
    /// −log(confidence) for each pixel's label and −log((1 − confidence)/(C − 1)) for the others; a negative label means
    /// "unsure" and gets −log(1/C) everywhere (pydensecrf's <c>zero_unsure</c>, with labels here 0-based). One label: all 0.
    /// </summary>
    public static float[] FromLabels(ReadOnlySpan<int> labels, int labelCount, float confidence)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(labelCount, 1);
        if (!(confidence > 0 && confidence < 1))
        {
            throw new CrfInputException("The label confidence must be in (0, 1).");
        }

        var n = labels.Length;
        var unary = new float[labelCount * n];
        if (labelCount == 1)
        {
            return unary;
        }

        var positive = -MathF.Log(confidence);
        var negative = -MathF.Log((1 - confidence) / (labelCount - 1));
        var unsure = -MathF.Log(1f / labelCount);
        Array.Fill(unary, negative);
        for (var i = 0; i < n; i++)
        {
            var label = labels[i];
            if (label >= labelCount)
            {
                throw new CrfInputException($"Label {label} at pixel {i} is not below the label count {labelCount}.");
            }

            if (label < 0)
            {
                for (var c = 0; c < labelCount; c++)
                {
                    unary[(c * n) + i] = unsure;
                }
            }
            else
            {
                unary[(label * n) + i] = positive;
            }
        }

        return unary;
    }

    /// <summary>
    /// Null when <paramref name="probabilities"/> are C × N finite values in [0, 1] whose per-pixel sum is 1 ± <see cref="SumTolerance"/>
    /// (or exactly 0: an unknown pixel); else a message for the client.
    /// </summary>
    public static string? ValidateProbabilities(ReadOnlySpan<float> probabilities, int labels, int pixels)
    {
        if (labels < 1 || probabilities.Length != (long)labels * pixels)
        {
            return $"Expected {labels} × {pixels} probabilities (labels × height × width), got {probabilities.Length}.";
        }

        for (var i = 0; i < pixels; i++)
        {
            var sum = 0.0;
            for (var c = 0; c < labels; c++)
            {
                var p = probabilities[(c * pixels) + i];
                if (!(p >= 0 && p <= 1 + SumTolerance))
                {
                    return float.IsNaN(p) ? $"The probabilities contain NaN (pixel {i})." : $"Probability {p} at pixel {i} is outside [0, 1].";
                }

                sum += p;
            }

            if (sum != 0 && Math.Abs(sum - 1) > SumTolerance)
            {
                return $"The probabilities of pixel {i} sum to {sum:0.####}, not 1.";
            }
        }

        return null;
    }

    /// <summary>Null when <paramref name="unary"/> holds C × N finite values, else a message for the client.</summary>
    public static string? ValidateUnary(ReadOnlySpan<float> unary, int labels, int pixels)
    {
        if (labels < 1 || unary.Length != (long)labels * pixels)
        {
            return $"Expected {labels} × {pixels} unary potentials (labels × height × width), got {unary.Length}.";
        }

        foreach (var u in unary)
        {
            if (!float.IsFinite(u))
            {
                return "The unary potentials contain NaN or infinity.";
            }
        }

        return null;
    }
}
