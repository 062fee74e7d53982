using System.Text.Json;
using Agent.Core.Auditing;
using Microsoft.AspNetCore.Diagnostics;

namespace Agent.Web.Api;

/// <summary>
/// The one place errors become responses: every failure is JSON with an <c>error</c> string (bodies that cannot be
/// read 422, oversized 413, unknown routes 404, wrong method 405, anything else 500 without internals). Bodies that
/// can be read are checked by <see cref="BodyValidation"/>. Failures are told apart by exception type and status, never by message text.
/// </summary>
public static partial class ApiErrorHandling
{
    public static IServiceCollection AddApiErrorHandling(this IServiceCollection services)
    {
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddProblemDetails();
        return services;
    }

    public static WebApplication UseApiErrorHandling(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages(async (StatusCodeContext context) =>
        {
            var response = context.HttpContext.Response;
            if (response.HasStarted || response.ContentLength > 0 || response.ContentType is not null)
            {
                return;
            }
            if (response.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                // Minimal APIs swallow the body-size exception and Kestrel sets 413, so the rejection surfaces here.
                context.HttpContext.RecordRejection(StatusCodes.Status413PayloadTooLarge, SecurityEventReasons.BodyTooLarge);
            }
            var message = response.StatusCode switch
            {
                StatusCodes.Status413PayloadTooLarge => "Request body too large",
                StatusCodes.Status404NotFound => "Not found",
                StatusCodes.Status405MethodNotAllowed => "Method not allowed",
                StatusCodes.Status415UnsupportedMediaType => "Unsupported media type: send application/json",
                StatusCodes.Status401Unauthorized => "Unauthorized",
                StatusCodes.Status403Forbidden => "Forbidden",
                _ => $"HTTP {response.StatusCode}",
            };
            await response.WriteAsJsonAsync(new ErrorResponse(message));
        });
        return app;
    }

    private sealed partial class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
        {
            var (status, body) = exception switch
            {
                BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
                    (StatusCodes.Status413PayloadTooLarge, new ErrorResponse("Request body too large")),
                BadHttpRequestException { InnerException: JsonException json } =>
                    (StatusCodes.Status422UnprocessableEntity, new ErrorResponse(BodyValidation.Error, [Describe(json)])),
                BadHttpRequestException { StatusCode: StatusCodes.Status415UnsupportedMediaType } =>
                    (StatusCodes.Status415UnsupportedMediaType, new ErrorResponse("Unsupported media type: send application/json")),
                BadHttpRequestException bad => (bad.StatusCode, new ErrorResponse("Bad request")),
                _ => (StatusCodes.Status500InternalServerError, new ErrorResponse("Internal server error")),
            };
            if (status == StatusCodes.Status500InternalServerError)
            {
                LogUnhandled(logger, exception);
            }
            if (context.Response.HasStarted)
            {
                return false;
            }
            if (status is StatusCodes.Status413PayloadTooLarge or StatusCodes.Status422UnprocessableEntity)
            {
                context.RecordRejection(status, status == StatusCodes.Status413PayloadTooLarge ? SecurityEventReasons.BodyTooLarge : SecurityEventReasons.InvalidBody);
            }
            context.Response.StatusCode = status;
            await context.Response.WriteAsJsonAsync(body, cancellationToken);
            return true;
        }

        /// <summary>
        /// Text that is not JSON comes from the reader (the serializer wraps the reader's own JsonException); any other
        /// JsonException is a value of the wrong type, named by its path.
        /// </summary>
        private static string Describe(JsonException json) => json.InnerException switch
        {
            JsonException reader => $"body: malformed JSON ({FirstSentence(reader.Message)})",
            _ when json.Path is { Length: > 2 } path => $"{path.TrimStart('$', '.')}: wrong type",
            _ => "body: a JSON object is required",
        };

        private static string FirstSentence(string message) => message.Split(". ", 2)[0].TrimEnd('.');

        [LoggerMessage(EventId = 5001, Level = LogLevel.Error, Message = "Unhandled exception")]
        private static partial void LogUnhandled(ILogger logger, Exception exception);
    }
}
