namespace Agent.Core.Llm;

/// <summary>One readable line for a failed model call: what the provider said, without anything that could carry the key.</summary>
public static class LlmFailureMessages
{
    public static string Describe(Exception ex, string provider, int attempts, string model) => Describe(LlmError.From(ex), provider, attempts, model);

    public static string Describe(LlmError error, string provider, int attempts, string model) => error switch
    {
        // The provider's text can echo part of the key, so it is not repeated.
        { Kind: LlmErrorKind.Credentials } =>
            $"the {provider} provider refused the credentials (HTTP {(int)error.StatusCode!}); check LLM_API_KEY.",
        { Kind: LlmErrorKind.UnknownModel } =>
            $"the {provider} provider does not know model '{model}' (HTTP 404{Says(error)}); set LLM_MODEL to a current model.",
        { Kind: LlmErrorKind.Transient } =>
            $"the {provider} provider answered HTTP {(int)error.StatusCode!} ({error.StatusCode}) after {attempts} attempt(s){Says(error)}.",
        { Kind: LlmErrorKind.Rejected } =>
            $"the {provider} provider answered HTTP {(int)error.StatusCode!} ({error.StatusCode}){Says(error)}.",
        { Kind: LlmErrorKind.Unreachable } =>
            $"the {provider} provider could not be reached after {attempts} attempt(s) ({error.Detail}).",
        { Kind: LlmErrorKind.CircuitOpen } => $"the {provider} provider failed repeatedly; calls are paused for a moment (circuit open).",
        _ => error.Detail,
    };

    private static string Says(LlmError error) => error.ProviderMessage is null ? "" : $": {error.ProviderMessage}";
}
