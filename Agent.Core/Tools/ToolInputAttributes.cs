namespace Agent.Core.Tools;

/// <summary>The input must carry at least one of these properties (JSON Schema <c>anyOf</c> of <c>required</c>).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class RequireAnyOfAttribute(params string[] properties) : Attribute
{
    public IReadOnlyList<string> Properties { get; } = properties;
}

/// <summary>Each string in this array property may be at most <see cref="Length"/> characters (<c>items.maxLength</c>).</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
public sealed class ItemMaxLengthAttribute(int length) : Attribute
{
    public int Length { get; } = length;
}
