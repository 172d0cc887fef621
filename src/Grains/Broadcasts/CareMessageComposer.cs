using Microsoft.Extensions.Options;
using ElderIoT.Grains.Notifications;

namespace ElderIoT.Grains.Broadcasts;

/// <summary>
/// What an elder reads or hears of a care broadcast, in the elder's language (zh-CN, otherwise
/// English): the supervisor's text as written, with who is speaking (a call) or how to stop them (a text).
/// </summary>
public sealed class CareMessageComposer(IOptions<NotificationOptions> options)
{
    /// <summary>
    /// The text, and how to stop care messages. The word offered is TD, not STOP: Twilio itself acts on
    /// STOP at the carrier level and would then block every text from the centre's number to that phone,
    /// alarm texts included (docs/notifications.md).
    /// </summary>
    public static string Sms(string text, string language) => IsChinese(language)
        ? $"{text}（回复TD退订）"
        : $"{text} (Reply TD to stop these messages.)";

    /// <summary>What a call says (twice): who is calling, then the text, so an elder does not take it for a stranger's call.</summary>
    public string Speech(string text, string language) => IsChinese(language)
        ? $"您好，这里是{options.Value.CentreName}，给您带来关怀信息。{text}"
        : $"Hello, this is {options.Value.CentreName} with a care message. {text}";

    private static bool IsChinese(string language) => language.StartsWith("zh", StringComparison.OrdinalIgnoreCase);
}
