using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace ExplainApi.Host.Configuration;

public static class ConfigurationExtensions
{
    /// <summary>The address the service listens on when neither --urls nor ASPNETCORE_URLS names one.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static IHostApplicationBuilder AddExplainApiConfiguration(this WebApplicationBuilder builder)
    {
        // --urls and ASPNETCORE_URLS both land in the "urls" key; ASPNETCORE_HTTP(S)_PORTS (set by the
        // official container images) in "http_ports"/"https_ports". Only when all are absent do we bind
        // to loopback: a fresh install must not expose an API to the network by accident.
        var config = builder.Configuration;
        if (string.IsNullOrEmpty(config["urls"]) && string.IsNullOrEmpty(config["http_ports"]) && string.IsNullOrEmpty(config["https_ports"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.AddExplainApiOptions();

        // Kestrel's own cap sits above the image limit so that multipart framing fits; the upload reader
        // enforces the exact image limit and answers 413 itself.
        var maxBytes = config.GetSection(ImageLimitsOptions.Section).GetValue<long?>(nameof(ImageLimitsOptions.MaxImageBytes))
            ?? new ImageLimitsOptions().MaxImageBytes;
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = (maxBytes * 2) + (1024 * 1024));
        return builder;
    }

    /// <summary>The option sections every entry point (server and command line) binds and validates.</summary>
    public static IHostApplicationBuilder AddExplainApiOptions(this IHostApplicationBuilder builder)
    {
        var config = builder.Configuration;
        builder.Services.AddOptions<ExplainApiOptions>()
            .Bind(config.GetSection(ExplainApiOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<ImageLimitsOptions>()
            .Bind(config.GetSection(ImageLimitsOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<ImageLimitsOptions>>().Value.ToImageLimits());
        builder.Services.ConfigureHttpJsonOptions(json =>
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));
        return builder;
    }
}
