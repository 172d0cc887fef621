using ElderIoT.Contracts.Callbacks;
using ElderIoT.Records;

namespace ElderIoT.Api.Callbacks;

/// <summary>A call-back (回访) as the API shows it; <see cref="Overdue"/> is pending and past due.</summary>
public sealed record CallbackResponse(
    Guid Id, Guid AlarmId, Guid ElderId, string District, DateTimeOffset CreatedAt, DateTimeOffset DueAt,
    CallbackStatus Status, bool Overdue, CallbackResult? Result, string? Notes, string? CompletedBy, DateTimeOffset? CompletedAt)
{
    /// <summary>Whom to call: the elder's name, so that a seat knows who answers.</summary>
    public string? ElderName { get; init; }

    /// <summary>The number to call the elder back on (a call-back is a call), when the record has one.</summary>
    public string? ElderPhone { get; init; }

    public static CallbackResponse From(CallbackTaskRecord task, DateTimeOffset now, CallbackElder? elder = null) => new(
        task.Id, task.AlarmId, task.ElderId, task.District, task.CreatedAt, task.DueAt,
        task.Status, task.Status == CallbackStatus.Pending && task.DueAt < now, task.Result, task.Notes, task.CompletedBy, task.CompletedAt)
    {
        ElderName = elder?.Name,
        ElderPhone = elder?.Phone,
    };
}

/// <summary>Who a call-back calls: the elder's name and phone, read beside the task.</summary>
public sealed record CallbackElder(Guid Id, string Name, string? Phone);

/// <summary>The body of POST /api/callbacks/{id}/result; who called is the signed-in user.</summary>
public sealed record CallbackResultRequest(string? Result, string? Notes = null);
