namespace Agent.Core.Policy;

/// <summary>Section <c>Policy</c>: ordered rules (first match wins) and how long a person has to answer an ask.</summary>
public sealed class PolicyOptions
{
    public const string SectionName = "Policy";

    /// <summary>Evaluated in order after the permission fence; the first rule that matches decides.</summary>
    public List<PolicyRuleOptions> Rules { get; set; } = [];

    /// <summary>Seconds an approval request waits for a person before it is denied as <c>expired</c>.</summary>
    public int ApprovalTimeout { get; set; } = 600;

    /// <summary>Minutes a grant lasts when the approver gives no <c>expires_in_minutes</c>.</summary>
    public int DefaultGrantMinutes { get; set; } = 60;

    /// <summary>Longest a grant may last, in minutes.</summary>
    public int MaxGrantMinutes { get; set; } = 43_200;
}

/// <summary>One rule: which tool (name or glob), under which argument conditions, with what effect and why.</summary>
public sealed class PolicyRuleOptions
{
    public string? Id { get; set; }

    /// <summary>Tool name or glob (<c>write_*</c>, <c>*</c>).</summary>
    public string? Tool { get; set; }

    public PolicyConditionOptions? When { get; set; }

    /// <summary><c>allow</c>, <c>ask</c> or <c>deny</c>.</summary>
    public string? Effect { get; set; }

    public string? Reason { get; set; }
}

/// <summary>Argument conditions; every condition given must hold, each by any one of its patterns.</summary>
public sealed class PolicyConditionOptions
{
    /// <summary>Workspace-relative path globs for tools with a <c>path</c> argument (<c>secrets/**</c>, <c>*.md</c>).</summary>
    public List<string>? Paths { get; set; }

    /// <summary>Host patterns for <c>http_get</c>'s <c>url</c> (<c>example.com</c>, <c>*.example.com</c>).</summary>
    public List<string>? Hosts { get; set; }

    /// <summary>Command lines for <c>run_command</c>, matched as a word prefix (<c>git</c>, <c>git status</c>).</summary>
    public List<string>? Commands { get; set; }
}
