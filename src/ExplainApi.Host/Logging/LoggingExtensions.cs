using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace ExplainApi.Host.Logging;

public static class LoggingExtensions
{
    /// <summary>
    /// Serilog, configured once: compact JSON (CLEF) on the console outside Development, readable text in
    /// Development (CLEF keeps the message template and every property apart). ASP.NET Core's own request lines are silenced because they print the full path and
    /// query string, which can carry study or patient identifiers; <see cref="RequestLoggingMiddleware"/>
    /// logs the route pattern instead. Serilog 4 writes the W3C trace and span ids (@tr, @sp) itself.
    /// </summary>
    public static IHostApplicationBuilder AddStructuredLogging(this WebApplicationBuilder builder)
    {
        var development = builder.Environment.IsDevelopment();
        builder.Services.AddSerilog((services, logger) =>
        {
            logger
                .MinimumLevel.Information()
                .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
                .MinimumLevel.Override("Microsoft.Extensions.Http", LogEventLevel.Warning)
                // Data protection is pulled in by authentication but protects nothing here (no cookies, no
                // antiforgery tokens), so its "keys stored unencrypted" warning is noise.
                .MinimumLevel.Override("Microsoft.AspNetCore.DataProtection", LogEventLevel.Error)
                .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
                .ReadFrom.Configuration(builder.Configuration)
                .ReadFrom.Services(services)
                .Enrich.FromLogContext()
                .Enrich.With<DropRawPathEnricher>()
                .Enrich.WithProperty("Application", "ExplainApi");
            if (development)
            {
                logger.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}");
            }
            else
            {
                logger.WriteTo.Console(new CompactJsonFormatter());
            }
        }, preserveStaticLogger: true); // each host logs through its own logger, never the static Log.Logger (tests run several hosts at once)
        return builder;
    }

    public static WebApplication UseRequestLogging(this WebApplication app)
    {
        app.UseMiddleware<RequestLoggingMiddleware>();
        return app;
    }
}
