using System.ComponentModel.DataAnnotations;

namespace Agent.Web.Api;

/// <summary>A text that is present must hold more than white space (absent or empty is left to the other annotations).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter, AllowMultiple = false)]
public sealed class NotBlankAttribute() : ValidationAttribute("must not be blank")
{
    public override bool IsValid(object? value) => value is not string { Length: > 0 } text || !string.IsNullOrWhiteSpace(text);
}
