using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Nodes;
using Agent.Core.Policy;

namespace Agent.Web.Approvals;

/// <summary>An approval request as the API returns it; <c>input</c> is the held call's arguments.</summary>
public sealed record ApprovalResponse(
    string Id,
    string RequestId,
    string ToolName,
    JsonNode? Input,
    string RuleId,
    string PolicyVersion,
    string? Reason,
    string? Principal,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? DecidedAt,
    string? DecidedBy,
    string? Scope,
    string? Comment,
    string? GrantId)
{
    public static ApprovalResponse From(ApprovalRecord a) => new(a.Id, a.RequestId, a.ToolName, Parse(a.Input), a.RuleId, a.PolicyVersion, a.Reason,
        a.Principal, a.Status, a.CreatedAt, a.ExpiresAt, a.DecidedAt, a.DecidedBy, a.Scope, a.Comment, a.GrantId);

    private static JsonNode? Parse(string? json)
    {
        try
        {
            return json is null ? null : JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return JsonValue.Create(json);
        }
    }
}

/// <summary>Body of approve and deny: <c>scope</c> and <c>expires_in_minutes</c> apply to approve only.</summary>
public sealed record ApprovalDecisionRequest(string? Scope, int? ExpiresInMinutes, string? Comment);

/// <summary>A grant as the API returns it, with whether it is still in force.</summary>
public sealed record GrantResponse(
    string Id,
    string ApprovalId,
    string ToolName,
    string RuleId,
    string Scope,
    string? RequestId,
    string? Principal,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? RevokedAt,
    string? RevokedBy,
    bool Active)
{
    public static GrantResponse From(GrantRecord g, DateTimeOffset now) => new(g.Id, g.ApprovalId, g.ToolName, g.RuleId, g.Scope, g.RequestId,
        g.Principal, g.CreatedBy, g.CreatedAt, g.ExpiresAt, g.RevokedAt, g.RevokedBy, g.ActiveAt(now));
}

/// <summary>Body of <c>POST /policy/dry-run</c>: the proposed rules and how many recent executions to replay.</summary>
public sealed record DryRunRequest(
    List<PolicyRuleOptions>? Rules,
    [property: Range(1, PastExecutions.MaxReplayed, ErrorMessage = "must be between {1} and {2}")] int? Last);
