namespace ElderIoT.Rules;

/// <summary>What a rule's evaluation changed: nothing, a condition confirmed (raise), or a confirmed one ended (recover).</summary>
public enum RuleChange
{
    /// <summary>Nothing to do.</summary>
    None,

    /// <summary>The condition is confirmed: raise an alarm.</summary>
    Raised,

    /// <summary>A raised condition is over: record it (and close the alarm when nobody took it).</summary>
    Recovered,
}
