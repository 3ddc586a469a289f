using System.ComponentModel.DataAnnotations;

namespace ExplainApi.Host.Models;

/// <summary>The "ExplainApi:Models" section: limits of POST /v1/models/import.</summary>
public sealed class ModelImportOptions
{
    public const string Section = "ExplainApi:Models";

    /// <summary>The largest .onnx file accepted (checked from Content-Length before reading, and while reading).</summary>
    [Range(1024, 2L * 1024 * 1024 * 1024)]
    public long MaxImportBytes { get; set; } = 128L * 1024 * 1024;
}
