namespace ExplainApi.Host.Health;

/// <summary>Liveness answer; KServe V2's health/live uses the same shape.</summary>
public sealed record LivenessReport(bool Live);

/// <summary>Readiness answer: overall status and every check with its data (e.g. the execution provider).</summary>
public sealed record ReadinessReport(bool Ready, string Status, IReadOnlyList<HealthCheckReport> Checks);

public sealed record HealthCheckReport(string Name, string Status, string? Description, double DurationMs, IReadOnlyDictionary<string, object>? Data);
