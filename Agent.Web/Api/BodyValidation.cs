using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using Agent.Core.Auditing;

namespace Agent.Web.Api;

/// <summary>
/// The one validation path for request bodies: an endpoint filter, set on the route groups, that checks each body the
/// handler takes against the data annotations on its record and answers 422 <c>{"error", "details"}</c> (recorded in
/// <c>security_events</c>) before the handler runs. Bodies that cannot be read at all (malformed JSON, wrong types)
/// are answered in the same shape by <see cref="ApiErrorHandling"/>.
/// </summary>
public static class BodyValidation
{
    public const string Error = "Invalid request body";

    /// <summary>Validates the bodies of every endpoint built from <paramref name="builder"/>; endpoints without one pay nothing.</summary>
    public static TBuilder ValidateBodies<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilterFactory(Create).WithMetadata(Marker.Instance);

    /// <summary>Endpoint metadata saying the filter is on, so a test can prove that every endpoint taking JSON has it.</summary>
    public sealed class Marker
    {
        public static readonly Marker Instance = new();

        private Marker()
        {
        }
    }

    /// <summary>Every problem with one body, <c>member: message</c> in snake_case; empty when it is valid.</summary>
    public static IReadOnlyList<string> Problems(object? body, bool required)
    {
        if (body is null)
        {
            return required ? ["body: a JSON object is required"] : [];
        }
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(body, new ValidationContext(body), results, validateAllProperties: true);
        return results
            .SelectMany(r => r.MemberNames.DefaultIfEmpty("body").Select(member => $"{JsonName(member)}: {r.ErrorMessage}"))
            .ToArray();
    }

    private static EndpointFilterDelegate Create(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        // Decided once per endpoint, from the handler's parameters: the bodies are the records that carry annotations,
        // and a body is required unless its parameter is nullable (an empty body binds as null when the endpoint allows it).
        var nullability = new NullabilityInfoContext();
        var bodies = context.MethodInfo.GetParameters()
            .Select((parameter, index) => (Parameter: parameter, Index: index))
            .Where(p => IsAnnotated(p.Parameter.ParameterType))
            .Select(p => (p.Index, Required: nullability.Create(p.Parameter).WriteState == NullabilityState.NotNull))
            .ToArray();
        if (bodies.Length == 0)
        {
            return next;
        }
        return async invocation =>
        {
            foreach (var (index, required) in bodies)
            {
                var problems = Problems(invocation.Arguments[index], required);
                if (problems.Count > 0)
                {
                    invocation.HttpContext.RecordRejection(StatusCodes.Status422UnprocessableEntity, SecurityEventReasons.InvalidBody);
                    return TypedResults.UnprocessableEntity(new ErrorResponse(Error, problems));
                }
            }
            return await next(invocation);
        };
    }

    private static bool IsAnnotated(Type type) =>
        typeof(IValidatableObject).IsAssignableFrom(type)
        || type.GetProperties().Any(p => p.IsDefined(typeof(ValidationAttribute), inherit: true));

    private static string JsonName(string member) => member == "body" ? member : JsonNamingPolicy.SnakeCaseLower.ConvertName(member);
}
