using System.Globalization;
using NJsonSchema.Validation;

namespace Agent.Core.Tools;

/// <summary>Turns NJsonSchema's validation errors into lines a model or operator can act on: <c>max_lines: NumberTooBig (maximum 1000)</c>.</summary>
public static class ToolInputErrors
{
    public static IReadOnlyList<string> Describe(IEnumerable<ValidationError> errors) =>
        errors.SelectMany(Unwrap).Select(Describe).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

    /// <summary>"Item 0 is not valid" says less than the reason inside it, so wrappers give way to what they wrap.</summary>
    private static IEnumerable<ValidationError> Unwrap(ValidationError error) =>
        error is ChildSchemaValidationError child && error.Kind is ValidationErrorKind.ArrayItemNotValid
            or ValidationErrorKind.AdditionalItemNotValid or ValidationErrorKind.AdditionalPropertiesNotValid
            ? child.Errors.SelectMany(e => e.Value).SelectMany(Unwrap)
            : [error];

    public static string Describe(ValidationError error)
    {
        var detail = Detail(error);
        return $"{Location(error.Path)}: {error.Kind}" + (detail is null ? "" : $" ({detail})");
    }

    /// <summary>A valid value the input record cannot hold (a number beyond its C# type): <c>n: ValueOutOfRange</c>.</summary>
    public static string Describe(System.Text.Json.JsonException error) => $"{Location(error.Path?.TrimStart('$', '.'))}: ValueOutOfRange";

    private static string Location(string? path)
    {
        var trimmed = (path ?? "").TrimStart('#').TrimStart('/').Replace('/', '.');
        return trimmed.Length == 0 ? "input" : trimmed;
    }

    private static string? Detail(ValidationError error)
    {
        var schema = error.Schema;
        return error switch
        {
            ChildSchemaValidationError child => string.Join(" or ", child.Errors.Select(alternative =>
                string.Join(", ", alternative.Value.Select(Describe)))),
            _ when schema is null => null,
            _ => error.Kind switch
            {
                ValidationErrorKind.NumberTooBig => $"maximum {Number(schema.Maximum ?? schema.ExclusiveMaximum)}",
                ValidationErrorKind.NumberTooSmall => $"minimum {Number(schema.Minimum ?? schema.ExclusiveMinimum)}",
                ValidationErrorKind.StringTooLong => $"maxLength {schema.MaxLength}",
                ValidationErrorKind.StringTooShort => $"minLength {schema.MinLength}",
                ValidationErrorKind.TooManyItems => $"maxItems {schema.MaxItems}",
                ValidationErrorKind.TooFewItems => $"minItems {schema.MinItems}",
                ValidationErrorKind.PatternMismatch => $"pattern {schema.Pattern}",
                ValidationErrorKind.NoAdditionalPropertiesAllowed => "unknown property",
                _ => null,
            },
        };
    }

    private static string Number(decimal? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "?";
}
