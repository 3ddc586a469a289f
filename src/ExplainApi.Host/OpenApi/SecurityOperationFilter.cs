using ExplainApi.Host.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ExplainApi.Host.OpenApi;

/// <summary>
/// Puts the lock (and the 401/403/429 answers) on exactly the operations that need a key, so Swagger's
/// Authorize button sends the key where it is needed and the health routes show as open.
/// </summary>
public sealed class SecurityOperationFilter : IOperationFilter
{
    public const string BearerScheme = "Bearer";
    public const string HeaderScheme = "ApiKey";

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<IAllowAnonymous>().Any())
        {
            return;
        }

        var scopes = metadata.OfType<IAuthorizeData>().Select(a => a.Policy).OfType<string>().Distinct().ToList();
        operation.Security =
        [
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = scopes },
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(HeaderScheme, context.Document)] = scopes },
        ];
        if (scopes.Count > 0)
        {
            operation.Description = (operation.Description is null ? "" : operation.Description + "\n\n") +
                $"Needs an API key with scope: {string.Join(", ", scopes)}.";
        }

        operation.Responses ??= [];
        AddProblem(operation, "401", "No API key, or not a valid one.");
        AddProblem(operation, "403", "The API key lacks the scope this route needs.");
        AddProblem(operation, "429", "Too many requests for this API key; see Retry-After.");
    }

    private static void AddProblem(OpenApiOperation operation, string status, string description) =>
        operation.Responses!.TryAdd(status, new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference("ProblemDetails", null) },
            },
        });

    public static string HeaderName => ApiKeyAuthenticationHandler.HeaderName;
}
