using Serilog.Core;
using Serilog.Events;

namespace ExplainApi.Host.Logging;

/// <summary>
/// ASP.NET Core opens a logging scope per request carrying the raw <c>RequestPath</c>, which Serilog turns
/// into a property of every event of that request. Paths can hold study, series or patient identifiers,
/// so the property is dropped; the route pattern is logged instead.
/// </summary>
public sealed class DropRawPathEnricher : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        logEvent.RemovePropertyIfPresent("RequestPath");
    }
}
