using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Agent.Core;
using Agent.Core.Policy;
using Agent.Core.Tools;
using Agent.Web.Api;
using Agent.Web.Approvals;
using Agent.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace Agent.Web.Components.Pages;

/// <summary>
/// The policy in force, and a dry-run of a proposed one over recent executions, for admins. The dry-run goes through
/// the same handler as <c>POST /policy/dry-run</c>, so the page and the API validate and count alike.
/// </summary>
public sealed partial class PolicyReview
{
    /// <summary>A pasted policy larger than this is refused before parsing (the configuration's rules are far smaller).</summary>
    internal const int MaxPolicyChars = 100_000;

    private const int ExampleInputChars = 300;

    /// <summary>The rules as an operator writes them in the <c>Policy</c> section: snake_case, nulls left out, indented.</summary>
    private static readonly JsonSerializerOptions Editable = new(JsonDefaults.Compact)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    internal static readonly JsonSerializerOptions Json = JsonDefaults.Compact;

    [Inject] public required EffectivePolicy Current { get; init; }
    [Inject] public required IOptions<PolicyOptions> Options { get; init; }
    [Inject] public required PolicyOptionsValidator Validator { get; init; }
    [Inject] public required PolicyDryRun DryRun { get; init; }
    [Inject] public required PastExecutions History { get; init; }
    [CascadingParameter] public Task<AuthenticationState>? Authentication { get; set; }

    private bool _running;

    internal bool MayReview { get; private set; }

    internal string? Proposed { get; set; }

    internal int Last { get; set; } = 1000;

    internal DryRunReport? Report { get; private set; }

    internal IReadOnlyList<string> Problems { get; private set; } = [];

    internal string ProblemTitle { get; private set; } = "";

    internal IReadOnlyList<string> BlockedNames => ToolPermissions.Names(Current.Blocked);

    internal string ApprovalTimeoutText => Agent.Web.Components.Shared.DurationFormat.Of(TimeSpan.FromSeconds(Options.Value.ApprovalTimeout));

    protected override async Task OnInitializedAsync()
    {
        MayReview = Authentication is not null && (await Authentication).User.MayReviewPolicy();
        // Start from the rules in force: the usual change is an edit of them.
        Proposed = JsonSerializer.Serialize(Options.Value.Rules, Editable);
    }

    internal async Task RunAsync()
    {
        // Checked again on the click: a forged circuit event from a non-admin learns nothing.
        if (Authentication is null || !(await Authentication).User.MayReviewPolicy())
        {
            return;
        }
        _running = true;
        try
        {
            Report = null;
            (Problems, ProblemTitle) = ([], "");
            if (!TryReadRules(Proposed, out var rules, out var problem))
            {
                (Problems, ProblemTitle) = ([problem], "The proposed policy is not readable JSON");
                return;
            }
            var result = await ApprovalEndpoints.DryRunAsync(new DryRunRequest(rules, Last), Validator, Current, DryRun, History, CancellationToken.None);
            switch (result.Result)
            {
                case Ok<DryRunReport> ok:
                    Report = ok.Value;
                    break;
                case UnprocessableEntity<ErrorResponse> invalid:
                    (Problems, ProblemTitle) = (invalid.Value?.Details ?? [invalid.Value?.Error ?? "Invalid policy"], "The proposed policy is not valid");
                    break;
            }
        }
        finally
        {
            _running = false;
        }
    }

    /// <summary>A JSON array of rules, or an object holding one under <c>rules</c> (the API's body).</summary>
    internal static bool TryReadRules(string? text, out List<PolicyRuleOptions> rules, out string problem)
    {
        (rules, problem) = ([], "");
        if (string.IsNullOrWhiteSpace(text))
        {
            problem = "Paste a JSON array of rules (an empty array [] means no rules).";
            return false;
        }
        if (text.Length > MaxPolicyChars)
        {
            problem = $"The proposed policy is {text.Length:N0} characters; at most {MaxPolicyChars:N0} are read.";
            return false;
        }
        try
        {
            var node = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            var array = node switch
            {
                JsonArray list => list,
                JsonObject body when body["rules"] is JsonArray list => list,
                _ => null,
            };
            if (array is null)
            {
                problem = "Expected a JSON array of rules, or an object with a \"rules\" array.";
                return false;
            }
            rules = array.Deserialize<List<PolicyRuleOptions>>(Json) ?? [];
            return true;
        }
        catch (JsonException ex)
        {
            problem = ex.LineNumber is { } line
                ? $"Line {line + 1}, column {(ex.BytePositionInLine ?? 0) + 1}: {FirstSentence(ex.Message)}"
                : FirstSentence(ex.Message);
            return false;
        }
    }

    internal static string Conditions(PolicyRule rule)
    {
        var parts = new List<string>();
        if (rule.Paths is { } paths)
        {
            parts.Add($"paths {string.Join(", ", paths)}");
        }
        if (rule.Hosts is { } hosts)
        {
            parts.Add($"hosts {string.Join(", ", hosts)}");
        }
        if (rule.Commands is { } commands)
        {
            parts.Add($"commands {string.Join(", ", commands)}");
        }
        return parts.Count == 0 ? "any call" : string.Join("; ", parts);
    }

    internal static Color EffectColor(string effect) => effect switch
    {
        "allow" => Color.Success,
        "ask" => Color.Warning,
        "deny" => Color.Error,
        _ => Color.Default,
    };

    internal static string ShortId(string id) => id.Length > 8 ? id[..8] : id;

    internal static string Abbreviate(string text) =>
        text.Length <= ExampleInputChars ? text : string.Create(CultureInfo.InvariantCulture, $"{text[..ExampleInputChars]}… ({text.Length:N0} characters)");

    /// <summary>System.Text.Json's messages end with a path and position the page already states.</summary>
    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
