using System.Text.RegularExpressions;
using Agent.Core.Configuration;
using Microsoft.Extensions.Options;

namespace Agent.Web.Configuration;

/// <summary>Turns a configuration failure at start-up into one line that names the key, instead of a stack trace.</summary>
public static partial class StartupFailure
{
    public static bool TryDescribe(Exception exception, out string message)
    {
        var inner = exception is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerException! : exception;
        switch (inner)
        {
            case OptionsValidationException validation:
                message = "Invalid configuration: " + string.Join(" ", validation.Failures);
                return true;
            case InvalidOperationException when ConversionFailure().Match(inner.Message) is { Success: true } match:
                message = $"Invalid configuration: {ConfigurationKeys.Describe(match.Groups["key"].Value)} has value '{match.Groups["value"].Value}', which is not a valid {match.Groups["type"].Value.Replace("System.", "", StringComparison.Ordinal)}.";
                return true;
            default:
                message = "";
                return false;
        }
    }

    [GeneratedRegex(@"Failed to convert configuration value '(?<value>[^']*)' at '(?<key>[^']+)' to type '(?<type>[^']+)'")]
    private static partial Regex ConversionFailure();
}
