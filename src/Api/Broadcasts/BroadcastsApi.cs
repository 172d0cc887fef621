using ElderIoT.Api.Access;
using ElderIoT.Api.Infrastructure;
using ElderIoT.Api.Language;
using ElderIoT.Api.Seats;
using ElderIoT.Contracts;
using ElderIoT.Contracts.Broadcasts;
using ElderIoT.Contracts.Elders;
using ElderIoT.Contracts.Notifications;
using ElderIoT.Records;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace ElderIoT.Api.Broadcasts;

/// <summary>
/// /api/broadcasts: care messages (主动关怀) to a group of elders, by text or by call — a preview of who
/// would get it, then the send at a bounded rate. Consent to them is the elder's (PUT
/// /api/elders/{id}/consent, careMessages, or a texted 退订/START: <see cref="CareMessageOptOuts"/>).
/// </summary>
public static class BroadcastsApi
{
    private const int MaxCriteria = 20;
    private const int MaxCriterionLength = 50;

    public static IEndpointRouteBuilder MapBroadcastsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("api/broadcasts").WithTags("Broadcasts");
        group.MapPost("preview", PreviewAsync).WithName("PreviewBroadcast")
            .WithSummary("How many elders the criteria select and how many would receive the message (consent, opt-out, phone); with text and channel, checks the text too.");
        group.MapPost("", StartAsync).WithName("StartBroadcast")
            .WithSummary("Sends a care message (channel sms, the default, or voice: a call that says it twice) to the elders the criteria select who consented; at a bounded rate.");
        group.MapGet("", ListAsync).WithName("ListBroadcasts").WithSummary("Broadcasts, newest first.");
        group.MapGet("{id:guid}", GetAsync).WithName("GetBroadcast").WithSummary("One broadcast, how far it has gone, and each recipient's text or call.");
        return app;
    }

    private static async Task<Results<Ok<BroadcastAudienceCount>, ValidationProblem>> PreviewAsync(
        BroadcastPreviewRequest request, IDbContextFactory<ElderIoTDbContext> contexts, CentreTimeZone centre, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        var channel = CheckChannel(request.Channel, errors);
        if (request.Text is not null)
        {
            CheckText(request.Text, channel, errors);
        }

        var audience = request.ToAudience().Validate(errors);
        if (errors.Any || audience is null)
        {
            return errors.ToProblem();
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var members = await BroadcastAudienceQuery.SelectAsync(db, audience, CentreToday(centre, clock), cancellationToken);
        return TypedResults.Ok(BroadcastAudienceQuery.Count(members));
    }

    private static async Task<Results<Accepted<BroadcastSnapshot>, ValidationProblem>> StartAsync(
        BroadcastRequest request, IGrainFactory grains, HttpContext http)
    {
        var errors = new RequestErrors();
        var channel = CheckChannel(request.Channel, errors);
        var text = CheckText(request.Text, channel, errors);
        if (request.Audience is null)
        {
            errors.Add("audience", ApiTexts.Required);
        }

        var audience = request.Audience?.Validate(errors, "audience.");
        if (errors.Any || audience is null)
        {
            return errors.ToProblem();
        }

        var id = Guid.NewGuid();
        try
        {
            var snapshot = await grains.GetGrain<IBroadcastGrain>(id).StartAsync(text, channel, audience, Caller.From(http.User)?.UserName ?? "api");
            return TypedResults.Accepted($"/api/broadcasts/{id}", snapshot);
        }
        catch (BroadcastTooLargeException tooLarge)
        {
            errors.Add("audience", ApiTexts.BroadcastTooLarge(tooLarge.Recipients, tooLarge.Max));
            return errors.ToProblem();
        }
    }

    private static async Task<Ok<List<BroadcastSnapshot>>> ListAsync(IDbContextFactory<ElderIoTDbContext> contexts, IGrainFactory grains, int limit = 50)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var ids = await db.Broadcasts.AsNoTracking().OrderByDescending(b => b.CreatedAt).Take(Math.Clamp(limit, 1, 200)).Select(b => b.Id).ToListAsync();
        var list = new List<BroadcastSnapshot>();
        foreach (var id in ids)
        {
            if (await grains.GetGrain<IBroadcastGrain>(id).GetAsync() is { } snapshot)
            {
                list.Add(snapshot);
            }
        }

        return TypedResults.Ok(list);
    }

    private static async Task<Results<Ok<BroadcastSnapshot>, NotFound>> GetAsync(Guid id, IGrainFactory grains, IDbContextFactory<ElderIoTDbContext> contexts, CancellationToken cancellationToken)
    {
        if (await grains.GetGrain<IBroadcastGrain>(id).GetAsync() is not { } snapshot)
        {
            return TypedResults.NotFound();
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return TypedResults.Ok(snapshot with { Messages = await BroadcastQueries.RecipientsAsync(db, id, cancellationToken) });
    }

    /// <summary>sms when absent, so clients from before there was a choice keep texting.</summary>
    private static NotificationChannel CheckChannel(string? channel, RequestErrors errors)
    {
        if (channel is null)
        {
            return NotificationChannel.Sms;
        }

        if (EnumNames.TryParseSnakeCase<NotificationChannel>(channel.Trim(), out var parsed))
        {
            return parsed;
        }

        errors.Add("channel", ApiTexts.OneOf([.. Enum.GetValues<NotificationChannel>().Select(c => c.ToSnakeCase())]));
        return NotificationChannel.Sms;
    }

    /// <summary>The text, within its channel's limit (<see cref="BroadcastTexts"/>): the preview and the start say the same.</summary>
    private static string CheckText(string? text, NotificationChannel channel, RequestErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add("text", ApiTexts.Required);
            return "";
        }

        var max = BroadcastTexts.MaxLength(channel);
        var trimmed = text.Trim();
        if (trimmed.Length > max)
        {
            errors.Add("text", channel == NotificationChannel.Voice ? ApiTexts.VoiceBroadcastTooLong(max) : ApiTexts.AtMostCharacters(max));
        }

        return trimmed;
    }

    private static DateOnly CentreToday(CentreTimeZone centre, TimeProvider clock) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), centre.Zone).DateTime);

    /// <summary>The criteria of a broadcast as a client sends them; empty criteria match every elder.</summary>
    public sealed record BroadcastAudienceRequest(
        string? DistrictPrefix = null, int? MinAge = null, int? MaxAge = null, List<string>? CareLevels = null, List<string>? Conditions = null)
    {
        public BroadcastAudience? Validate(RequestErrors errors, string prefix = "")
        {
            if (DistrictPrefix is { Length: > SeatsApi.MaxDistrictLength })
            {
                errors.Add(prefix + "districtPrefix", ApiTexts.AtMostCharacters(SeatsApi.MaxDistrictLength));
            }

            if (MinAge is < 0 or > 130)
            {
                errors.Add(prefix + "minAge", ApiTexts.Between(0, 130));
            }

            if (MaxAge is < 0 or > 130)
            {
                errors.Add(prefix + "maxAge", ApiTexts.Between(0, 130));
            }
            else if (MinAge is { } min && MaxAge is { } max && min > max)
            {
                errors.Add(prefix + "maxAge", ApiTexts.AtLeast("minAge"));
            }

            var careLevels = CheckList(CareLevels, prefix + "careLevels", errors, (level => EnumNames.TryParseSnakeCase<CareLevel>(level, out _), ApiTexts.CareLevel));
            var conditions = CheckList(Conditions, prefix + "conditions", errors);
            return errors.Any
                ? null
                : new BroadcastAudience(string.IsNullOrWhiteSpace(DistrictPrefix) ? null : DistrictPrefix.Trim(), MinAge, MaxAge, careLevels, conditions);
        }

        /// <summary>
        /// A list of criteria: at most <see cref="MaxCriteria"/> entries, each present and short and,
        /// when <paramref name="valid"/> is given, one it accepts; one message per bad entry. The
        /// entries, trimmed.
        /// </summary>
        private static List<string> CheckList(
            List<string>? list, string field, RequestErrors errors, (Func<string, bool> Accepts, LocalizedText Message)? valid = null)
        {
            if (list is null)
            {
                return [];
            }

            if (list.Count > MaxCriteria)
            {
                errors.Add(field, ApiTexts.AtMostEntries(MaxCriteria));
                return [];
            }

            var values = new List<string>(list.Count);
            for (var i = 0; i < list.Count; i++)
            {
                var value = list[i];
                if (string.IsNullOrWhiteSpace(value))
                {
                    errors.Add($"{field}[{i}]", ApiTexts.Required);
                }
                else if (value.Trim().Length > MaxCriterionLength)
                {
                    errors.Add($"{field}[{i}]", ApiTexts.AtMostCharacters(MaxCriterionLength));
                }
                else if (valid is { } check && !check.Accepts(value.Trim()))
                {
                    errors.Add($"{field}[{i}]", check.Message);
                }
                else
                {
                    values.Add(value.Trim());
                }
            }

            return values;
        }
    }

    /// <summary>
    /// The preview: the criteria (as <see cref="BroadcastAudienceRequest"/>, at the top level, as before
    /// there was a channel), and optionally the text and channel, to check the text's length before the send.
    /// </summary>
    public sealed record BroadcastPreviewRequest(
        string? DistrictPrefix = null, int? MinAge = null, int? MaxAge = null, List<string>? CareLevels = null, List<string>? Conditions = null,
        string? Text = null, string? Channel = null)
    {
        public BroadcastAudienceRequest ToAudience() => new(DistrictPrefix, MinAge, MaxAge, CareLevels, Conditions);
    }

    /// <summary>A broadcast: the text, how it goes (sms, the default, or voice) and who it goes to.</summary>
    public sealed record BroadcastRequest(string? Text = null, BroadcastAudienceRequest? Audience = null, string? Channel = null);
}
