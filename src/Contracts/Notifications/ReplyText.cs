using System.Text;

namespace ElderIoT.Contracts.Notifications;

/// <summary>
/// How a text sent to the centre's number is read before its words are compared: the one reading that
/// family replies ("1", "到") and care opt-outs ("退订", "STOP") share.
/// </summary>
public static class ReplyText
{
    /// <summary>
    /// The whole reply as one word: full-width forms folded (ＳＴＯＰ, １, and the ideographic space, as a
    /// Chinese phone keyboard types them; Unicode NFKC), spaces around it and one final full stop or
    /// exclamation mark dropped. Compare the result case-insensitively.
    /// </summary>
    public static string Normalise(string? text) =>
        (text ?? "").Normalize(NormalizationForm.FormKC).Trim().TrimEnd('.', '。', '!').Trim();
}

/// <summary>What a care message's recipient can text back to stop or restart them.</summary>
public enum CareMessageReply
{
    /// <summary>退订, TD, T, STOP, UNSUBSCRIBE, 取消: no more care messages.</summary>
    OptOut,

    /// <summary>START, 订阅: care messages again.</summary>
    OptIn,
}

/// <summary>
/// The words that opt out of or back into care messages. Only a whole reply counts: "1", "到" and any
/// sentence that merely contains one of these words stay family replies to an alarm.
/// </summary>
public static class CareMessageWords
{
    /// <summary>TD and T are the Chinese carriers' own short forms of 退订.</summary>
    public static readonly IReadOnlyList<string> OptOut = ["退订", "TD", "T", "STOP", "UNSUBSCRIBE", "取消"];

    public static readonly IReadOnlyList<string> OptIn = ["START", "订阅"];

    /// <summary>The reply's meaning when the whole text (see <see cref="ReplyText.Normalise"/>) is one of the words.</summary>
    public static bool TryParse(string? text, out CareMessageReply reply)
    {
        var word = ReplyText.Normalise(text);
        reply = CareMessageReply.OptOut;
        if (OptOut.Any(w => string.Equals(w, word, StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        reply = CareMessageReply.OptIn;
        return OptIn.Any(w => string.Equals(w, word, StringComparison.OrdinalIgnoreCase));
    }
}
