using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace ElderIoT.Api.Access;

/// <summary>
/// What access does when its own bookkeeping fails (meter <c>ElderIoT.Access</c>): a full or
/// read-only disk must never keep a seat from an alarm, so the read goes ahead and the gap is
/// counted and logged for the operator instead.
/// </summary>
public sealed partial class AccessMetrics
{
    public const string MeterName = "ElderIoT.Access";

    /// <summary>The audit row of a read could not be written.</summary>
    public const string AuditWriteFailed = "audit_write_failed";

    /// <summary>Whether a token's user was disabled could not be read; the signed token was taken as it is.</summary>
    public const string UserCheckFailed = "user_check_failed";

    /// <summary>The user's row was found (<see cref="UserRead"/>).</summary>
    public const string UserFound = "found";

    /// <summary>No such user in the table (a development token, an external provider's user).</summary>
    public const string UserAbsent = "absent";

    private readonly Counter<long> _degraded;
    private readonly Counter<long> _userReads;
    private readonly ILogger<AccessMetrics> _logger;

    public AccessMetrics(IMeterFactory meterFactory, ILogger<AccessMetrics> logger)
    {
        _logger = logger;
        _degraded = meterFactory.Create(MeterName).CreateCounter<long>("elderiot.access.degraded",
            description: "Access bookkeeping that failed while the request went ahead, by reason.");
        _userReads = meterFactory.Create(MeterName).CreateCounter<long>("elderiot.access.user_reads",
            description: "Reads of a token's user row by the per-request check (the rest are answered from the node's short cache), by result.");
    }

    /// <summary>The per-request user check read the users table (its cache had no fresh entry).</summary>
    public void UserRead(string result) => _userReads.Add(1, new KeyValuePair<string, object?>("result", result));

    public void Degraded(string reason, string action, Exception exception)
    {
        _degraded.Add(1, new KeyValuePair<string, object?>("reason", reason));
        LogDegraded(_logger, exception, reason, action);
    }

    [LoggerMessage(10003, LogLevel.Warning, "Access bookkeeping failed ({Reason}, {Action}); the request went ahead")]
    private static partial void LogDegraded(ILogger logger, Exception exception, string reason, string action);
}
