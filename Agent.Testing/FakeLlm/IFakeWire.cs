using System.Text.Json.Nodes;

namespace Agent.Testing;

/// <summary>One provider's wire format: which route it serves, what it rejects, and how it writes answers and errors.</summary>
internal interface IFakeWire
{
    bool Handles(string path);

    /// <summary>Null when the request is one the real API accepts; otherwise its rejection, with the real error body.</summary>
    FakeRejection? Validate(IReadOnlyDictionary<string, string> headers, JsonObject body);

    (int StatusCode, JsonObject Body) RenderError(FakeReply reply, string model);

    JsonObject RenderAnswer(FakeReply reply, string model);
}
