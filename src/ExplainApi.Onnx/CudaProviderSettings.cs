namespace ExplainApi.Onnx;

/// <summary>How the CUDA execution provider is configured; names follow ORT's provider option keys.</summary>
/// <param name="DeviceId">The GPU sessions run on (CUDA ordinal).</param>
/// <param name="ArenaExtendStrategy">
/// <c>NextPowerOfTwo</c> (ORT's default: fewer, larger allocations) or <c>SameAsRequested</c> (tighter memory when
/// batch shapes vary, as ours do between 1 and the explain batch).
/// </param>
/// <param name="MemoryLimitBytes">The device arena's cap per session; 0 leaves ORT's default (no cap).</param>
/// <param name="CudnnConvAlgoSearch">
/// <c>Exhaustive</c> (ORT's default: benchmarks every algorithm once per input shape, slow first calls),
/// <c>Heuristic</c> or <c>Default</c>.
/// </param>
public sealed record CudaProviderSettings(
    int DeviceId = 0, string ArenaExtendStrategy = "NextPowerOfTwo", long MemoryLimitBytes = 0, string CudnnConvAlgoSearch = "Exhaustive")
{
    public static readonly IReadOnlyList<string> ArenaExtendStrategies = ["NextPowerOfTwo", "SameAsRequested"];
    public static readonly IReadOnlyList<string> ConvAlgoSearches = ["Exhaustive", "Heuristic", "Default"];

    /// <summary>The key/value pairs OrtCUDAProviderOptions.UpdateOptions takes.</summary>
    /// <exception cref="ArgumentException">A value outside the lists above, or a negative id or limit.</exception>
    public Dictionary<string, string> ToProviderOptions()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(DeviceId);
        ArgumentOutOfRangeException.ThrowIfNegative(MemoryLimitBytes);
        var arena = Pick(ArenaExtendStrategies, ArenaExtendStrategy, nameof(ArenaExtendStrategy));
        var search = Pick(ConvAlgoSearches, CudnnConvAlgoSearch, nameof(CudnnConvAlgoSearch));
        var options = new Dictionary<string, string>
        {
            ["device_id"] = DeviceId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["arena_extend_strategy"] = "k" + arena,
            ["cudnn_conv_algo_search"] = search.ToUpperInvariant(),
        };
        if (MemoryLimitBytes > 0)
        {
            options["gpu_mem_limit"] = MemoryLimitBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return options;
    }

    private static string Pick(IReadOnlyList<string> allowed, string value, string name) =>
        allowed.FirstOrDefault(a => a.Equals(value, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"{name} must be one of {string.Join(", ", allowed)}, not '{value}'.", name);
}
