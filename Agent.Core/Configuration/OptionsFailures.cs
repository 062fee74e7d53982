using Microsoft.Extensions.Options;

namespace Agent.Core.Configuration;

/// <summary>Collects validation failures for one options section, each message naming its key as the operator set it.</summary>
public sealed class OptionsFailures(string section)
{
    private readonly List<string> _failures = [];

    /// <summary>Adds "<c>KEY (Section:Key) rule</c>" unless <paramref name="condition"/> holds.</summary>
    public void Require(bool condition, string key, string rule)
    {
        if (!condition)
        {
            _failures.Add($"{ConfigurationKeys.Describe($"{section}:{key}")} {rule}");
        }
    }

    public ValidateOptionsResult Result => _failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(_failures);
}
