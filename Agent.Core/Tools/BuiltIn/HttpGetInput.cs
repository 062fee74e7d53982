using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Agent.Core.Tools.BuiltIn;

/// <summary>Arguments of <c>http_get</c>.</summary>
public sealed record HttpGetInput
{
    [Description("Absolute http or https URL on an allowed host"), StringLength(2048, MinimumLength = 1)]
    public required string Url { get; init; }
}
