using Twilio.TwiML;
using Twilio.TwiML.Voice;

namespace ElderIoT.Grains.Notifications.Twilio;

/// <summary>The TwiML of a family call, written with Twilio's own <see cref="VoiceResponse"/>.</summary>
public static class CallScript
{
    /// <summary>Seconds the call waits for a key after the question.</summary>
    public const int KeyWaitSeconds = 8;

    /// <summary>
    /// Says the alarm in the contact's language and waits for one key, posted to <paramref name="gatherUrl"/>.
    /// Without a URL to post it to (no public address configured) the call only speaks.
    /// </summary>
    public static string Ask(string speech, string language, Uri? gatherUrl)
    {
        var response = new VoiceResponse();
        var voice = SayLanguage(language);
        if (gatherUrl is null)
        {
            response.Say(speech, language: voice);
            return response.ToString();
        }

        var gather = new Gather(
            input: [Gather.InputEnum.Dtmf], action: gatherUrl, method: global::Twilio.Http.HttpMethod.Post,
            numDigits: 1, timeout: KeyWaitSeconds, actionOnEmptyResult: true);
        gather.Say(speech, language: voice);
        response.Append(gather);
        return response.ToString();
    }

    /// <summary>
    /// A care message to an elder: said, a pause, said again, and the call ends. Many elders hear
    /// poorly and miss the start of a call while they settle the phone at their ear, so the message
    /// comes twice; no key is asked for, because an elder who cannot find or press one must still hear it.
    /// </summary>
    public static string SayTwice(string speech, string language)
    {
        var response = new VoiceResponse();
        var voice = SayLanguage(language);
        response.Say(speech, language: voice);
        response.Pause(length: 2);
        response.Say(OnceMore(language) + speech, language: voice);
        response.Hangup();
        return response.ToString();
    }

    /// <summary>What the call says after the keypress, then hangs up.</summary>
    public static string Say(string text, string language)
    {
        var response = new VoiceResponse();
        response.Say(text, language: SayLanguage(language));
        response.Hangup();
        return response.ToString();
    }

    private static string OnceMore(string language) =>
        language.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? "再说一遍：" : "Once more: ";

    /// <summary>zh-CN for a Chinese contact, en-US otherwise: the voice that reads the text.</summary>
    public static Say.LanguageEnum SayLanguage(string language) =>
        language.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? global::Twilio.TwiML.Voice.Say.LanguageEnum.ZhCn : global::Twilio.TwiML.Voice.Say.LanguageEnum.EnUs;
}
