using ExplainApi.Host.Configuration;
using Microsoft.Extensions.Options;

namespace ExplainApi.Host.Auth;

/// <summary>Builds the registry once at start: configured hashes, the environment key, else a bootstrap key.</summary>
public static class ApiKeyRegistryFactory
{
    public const string BootstrapFileName = "bootstrap-api-key";

    public static ApiKeyRegistry Create(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<ApiKeyOptions>>().Value;
        var data = services.GetRequiredService<IOptions<ExplainApiOptions>>().Value;
        var config = services.GetRequiredService<IConfiguration>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ApiKeyRegistryFactory));

        var registry = new ApiKeyRegistry();
        foreach (var entry in options.Keys)
        {
            registry.Add(entry.Sha256.ToLowerInvariant(), entry.Name, entry.Scopes);
        }

        var environmentKey = config[ApiKeyOptions.EnvironmentVariable];
        if (!string.IsNullOrWhiteSpace(environmentKey))
        {
            registry.Add(ApiKeyRegistry.HashHex(environmentKey.Trim()), "environment", Scopes.All);
        }

        if (registry.Count == 0 && options.GenerateBootstrapKey)
        {
            var path = Path.Combine(data.DataDirectoryFullPath, BootstrapFileName);
            registry.Add(ApiKeyRegistry.HashHex(ReadOrCreateBootstrapKey(path)), "bootstrap", Scopes.All);
            logger.LogWarning("No API key is configured; using the bootstrap key with every scope stored in {BootstrapKeyPath}. Configure ExplainApi:Auth:Keys for production.", path);
        }

        if (registry.Count == 0)
        {
            logger.LogWarning("No API key is configured and bootstrap keys are disabled: every protected route will answer 401.");
        }

        return registry;
    }

    private static string ReadOrCreateBootstrapKey(string path)
    {
        if (File.Exists(path))
        {
            var existing = File.ReadAllText(path).Trim();
            if (existing.Length > 0)
            {
                return existing;
            }
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var key = ApiKeyRegistry.NewKey();
        var fileOptions = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(path, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false), fileOptions))
        {
            writer.WriteLine(key);
        }

        return key;
    }
}
