using System.ComponentModel.DataAnnotations;

namespace ExplainApi.Host.Configuration;

/// <summary>The "ExplainApi" configuration section (environment: ExplainApi__DataDirectory, ...).</summary>
public sealed class ExplainApiOptions
{
    public const string Section = "ExplainApi";

    /// <summary>Where the service keeps its state (SQLite database, models, datasets). Relative to the working directory.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>auto (CUDA when ONNX Runtime and libtorch offer it, else CPU), cuda or cpu.</summary>
    [RegularExpression("^(auto|cuda|cpu)$")]
    public string Accelerator { get; set; } = "auto";

    public string DataDirectoryFullPath => Path.GetFullPath(DataDirectory);
}
