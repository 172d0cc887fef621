using ElderIoT.Contracts.Callbacks;
using ElderIoT.Records;

namespace ElderIoT.Api.Callbacks;

/// <summary>A call-back (回访) as the API shows it; <see cref="Overdue"/> is pending and past due.</summary>
public sealed record CallbackResponse(
    Guid Id, Guid AlarmId, Guid ElderId, string District, DateTimeOffset CreatedAt, DateTimeOffset DueAt,
    CallbackStatus Status, bool Overdue, CallbackResult? Result, string? Notes, string? CompletedBy, DateTimeOffset? CompletedAt)
{
    public static CallbackResponse From(CallbackTaskRecord task, DateTimeOffset now) => new(
        task.Id, task.AlarmId, task.ElderId, task.District, task.CreatedAt, task.DueAt,
        task.Status, task.Status == CallbackStatus.Pending && task.DueAt < now, task.Result, task.Notes, task.CompletedBy, task.CompletedAt);
}

/// <summary>The body of POST /api/callbacks/{id}/result; who called is the signed-in user.</summary>
public sealed record CallbackResultRequest(string? Result, string? Notes = null);
