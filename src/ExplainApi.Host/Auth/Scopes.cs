namespace ExplainApi.Host.Auth;

/// <summary>What an API key may do. Scopes are independent: an admin key that should also infer lists both.</summary>
public static class Scopes
{
    public const string Infer = "infer";
    public const string Train = "train";
    public const string Admin = "admin";

    public const string ClaimType = "scope";

    public static IReadOnlyList<string> All { get; } = [Infer, Train, Admin];
}
