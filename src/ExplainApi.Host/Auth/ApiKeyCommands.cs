namespace ExplainApi.Host.Auth;

/// <summary>Key administration from the command line, so operators never have to hash by hand.</summary>
public static class ApiKeyCommands
{
    public static bool TryRun(string[] args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        switch (args.FirstOrDefault())
        {
            case "hash-api-key" when args.Length == 2:
                output.WriteLine(ApiKeyRegistry.HashHex(args[1]));
                return true;
            case "new-api-key":
                var name = args.Length > 1 ? args[1] : "client";
                var key = ApiKeyRegistry.NewKey();
                output.WriteLine($"key:    {key}");
                output.WriteLine($"sha256: {ApiKeyRegistry.HashHex(key)}");
                output.WriteLine("configuration (appsettings or deploy/appsettings.Production.json):");
                output.WriteLine($"  {{ \"Name\": \"{name}\", \"Sha256\": \"{ApiKeyRegistry.HashHex(key)}\", \"Scopes\": [\"infer\"] }}");
                return true;
            default:
                return false;
        }
    }
}
