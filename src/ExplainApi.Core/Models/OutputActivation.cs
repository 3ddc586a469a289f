using System.Text.Json.Serialization;

namespace ExplainApi.Core.Models;

/// <summary>
/// How a classifier's logits become class probabilities: <see cref="Softmax"/> across the classes (one class per image;
/// what a manifest without the field means) or <see cref="Sigmoid"/>, σ(y_c) = 1 / (1 + e^−y_c) for each class on its own
/// (multi-label: an image may hold any subset of the classes, so the probabilities need not sum to 1).
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<OutputActivation>))]
public enum OutputActivation
{
    [JsonStringEnumMemberName("softmax")]
    Softmax,

    [JsonStringEnumMemberName("sigmoid")]
    Sigmoid,
}
