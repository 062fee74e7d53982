using Agent.Web.Api.Docs;
using Agent.Web.Health;
using Agent.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;

namespace Agent.Web.Api;

/// <summary>
/// The OpenAPI document (Microsoft.AspNetCore.OpenApi) with the API-key scheme on every protected operation,
/// served at /openapi/v1.json and rendered by Swagger UI at /docs and ReDoc at /redoc (assets bundled, no CDN).
/// </summary>
public static class OpenApiSetup
{
    public const string DocumentPath = "/openapi/v1.json";
    private const string SchemeId = "ApiKey";

    public static IServiceCollection AddAgentOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.ShouldInclude = description => description.RelativePath is { } path
                && (path.StartsWith("agent", StringComparison.Ordinal) || path.StartsWith("audit", StringComparison.Ordinal) || path == "health");
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Autonomous Agent API",
                    Version = HealthEndpoints.Version,
                    Description = "Run an autonomous agent over allowlisted tools in an isolated workspace. Every request, decision and execution is audited.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[SchemeId] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = ApiKeyAuthenticationHandler.HeaderName,
                    Description = "One of the configured API keys (AGENT_API_KEY or Agent:ApiKeys:<name>).",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                if (metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any())
                {
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeId, context.Document)] = [] });
                }
                return Task.CompletedTask;
            });
            // After the security requirement is set: the contract declares 401/403 where a key is required.
            OpenApiContract.Apply(options);
        });

    public static WebApplication MapAgentOpenApi(this WebApplication app)
    {
        app.MapOpenApi(DocumentPath);
        app.UseLocalReDocBundle();
        app.UseSwaggerUI(options =>
        {
            options.RoutePrefix = "docs";
            options.SwaggerEndpoint(DocumentPath, "Autonomous Agent API");
            options.DocumentTitle = "Autonomous Agent API";
        });
        app.UseReDoc(options =>
        {
            options.RoutePrefix = "redoc";
            options.SpecUrl = DocumentPath;
            options.DocumentTitle = "Autonomous Agent API";
            options.IndexStream = () => typeof(OpenApiSetup).Assembly.GetManifestResourceStream("redoc-index.html")!;
        });
        return app;
    }

    /// <summary>Documents the JSON errors every protected route can return.</summary>
    public static RouteGroupBuilder WithStandardErrors(this RouteGroupBuilder group) =>
        group.ProducesProblemJson(StatusCodes.Status401Unauthorized)
            .ProducesProblemJson(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblemJson(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblemJson(StatusCodes.Status429TooManyRequests);

    private static RouteGroupBuilder ProducesProblemJson(this RouteGroupBuilder group, int status) =>
        group.WithMetadata(new ProducesResponseTypeMetadata(status, typeof(ErrorResponse), ["application/json"]));
}
