using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using NJsonSchema;
using NJsonSchema.Generation;

namespace Agent.Core.Tools;

/// <summary>
/// Generates a tool's JSON Schema from its input record, once per record type, and reads validated arguments into
/// the record with the same naming. Properties are snake_case; <c>required</c> members are required; data annotations
/// give the bounds (<c>[StringLength]</c>, <c>[MaxLength]</c> on arrays as <c>maxItems</c>, <c>[Range]</c>,
/// <c>[RegularExpression]</c>, <c>[Description]</c>); <see cref="ItemMaxLengthAttribute"/> and
/// <see cref="RequireAnyOfAttribute"/> add what annotations cannot say; unknown properties are refused.
/// </summary>
public static class ToolInputSchema
{
    /// <summary>How arguments are named and read; the generator names the schema's properties with the same options.</summary>
    public static readonly JsonSerializerOptions SerializerOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    private static readonly SystemTextJsonSchemaGeneratorSettings Settings = new()
    {
        SerializerOptions = SerializerOptions,
        AlwaysAllowAdditionalObjectProperties = false,
        DefaultReferenceTypeNullHandling = ReferenceTypeNullHandling.NotNull,
        SchemaType = SchemaType.JsonSchema,
        // Descriptions come from [Description] only: a record's doc comment is written for its readers, not the model.
        UseXmlDocumentation = false,
    };

    public static JsonSchema Of<TInput>() where TInput : class => Cache<TInput>.Schema;

    /// <summary>Reads arguments that passed the schema into the tool's record (the one deserialisation on the way to a tool).</summary>
    public static object Read(JsonObject arguments, Type inputType) =>
        arguments.Deserialize(inputType, SerializerOptions) ?? throw new JsonException("The arguments read as null.");

    /// <summary>Generates the schema for <paramref name="inputType"/>; <see cref="Of{TInput}"/> keeps one per type.</summary>
    public static JsonSchema Generate(Type inputType)
    {
        var schema = JsonSchema.FromType(inputType, Settings);
        // The schema is a tool's parameter list, not a named type: no title, as the hand-written schemas had none.
        schema.Title = null;
        foreach (var (name, property) in schema.Properties)
        {
            // A model leaves an optional argument out; JSON null is never an argument, whatever the C# type's nullability.
            property.Type &= ~JsonObjectType.Null;
            // The number's range is the constraint; int32/int64 formats are C# detail the model need not see.
            if (property.Format is "int32" or "int64")
            {
                property.Format = null;
            }
            if (Member(inputType, name)?.GetCustomAttribute<ItemMaxLengthAttribute>() is { } items && property.Item is { } item)
            {
                item.MaxLength = items.Length;
            }
        }
        if (inputType.GetCustomAttribute<RequireAnyOfAttribute>() is { } anyOf)
        {
            foreach (var required in anyOf.Properties)
            {
                var alternative = new JsonSchema();
                alternative.RequiredProperties.Add(required);
                schema.AnyOf.Add(alternative);
            }
        }
        return schema;
    }

    private static PropertyInfo? Member(Type inputType, string jsonName) =>
        inputType.GetProperties().FirstOrDefault(p => SerializerOptions.PropertyNamingPolicy!.ConvertName(p.Name) == jsonName);

    private static class Cache<TInput>
    {
        public static readonly JsonSchema Schema = Generate(typeof(TInput));
    }
}
