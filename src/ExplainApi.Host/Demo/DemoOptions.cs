using System.ComponentModel.DataAnnotations;

namespace ExplainApi.Host.Demo;

/// <summary>The "ExplainApi:Demo" section: the demo models trained at first start (see <see cref="DemoModelStartup"/> and <see cref="DemoDifferenceMapStartup"/>).</summary>
public sealed class DemoOptions
{
    public const string Section = "ExplainApi:Demo";

    /// <summary>Train the demo model when it is missing. On in appsettings.json (so ./run.sh has it), off in production and tests.</summary>
    public bool Enabled { get; set; }

    /// <summary>The model name the demo registers.</summary>
    [Required]
    [RegularExpression("^[a-z0-9][a-z0-9._-]{0,63}$", ErrorMessage = "Model must be a valid model name (lower-case letters, digits, '-', '_', '.').")]
    public string Model { get; set; } = "squares-classifier";

    /// <summary>
    /// The VA-GAN trained after the classifier, linked to it (<see cref="DemoDifferenceMapStartup"/>); empty: none.
    /// </summary>
    [RegularExpression("^[a-z0-9][a-z0-9._-]{0,63}$", ErrorMessage = "DifferenceMapModel must be a valid model name or empty.")]
    public string? DifferenceMapModel { get; set; } = "squares-vagan";

    /// <summary>The dataset both train on: the full VA-GAN squares set, whose standard test split the profile holds out.</summary>
    [Required]
    [RegularExpression("^synthetic:.+$", ErrorMessage = "Dataset must be a synthetic dataset reference (synthetic:NAME?…): it exists on an empty data folder.")]
    public string Dataset { get; set; } = "synthetic:squares";
}
