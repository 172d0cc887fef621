using System.Globalization;
using System.Text;

namespace ElderIoT.Gateway.Guard;

/// <summary>
/// Makes text a client controls (client ids, user names, topics, event ids, reason strings built
/// from them) safe to put in a log line: bounded in length, and with every character that could
/// end the line or disguise it (CR, LF, other controls, Unicode line separators, bidi overrides,
/// lone surrogates) written as a visible escape. Without it one CONNECT with CR/LF in its client id
/// forges a log line, and 60 000-character ids fill the disk.
/// </summary>
public static class LogText
{
    /// <summary>Enough for any well-formed device id (64), topic or event id of protocol v1.</summary>
    public const int DefaultMax = 128;

    /// <summary>
    /// <paramref name="text"/> truncated to about <paramref name="max"/> characters (the rest
    /// replaced by a note of how many were cut) and escaped to one line of visible characters.
    /// </summary>
    public static string Safe(string? text, int max = DefaultMax)
    {
        if (text is null)
        {
            return "(none)";
        }

        if (text.Length <= max && !NeedsEscaping(text))
        {
            return text;
        }

        var builder = new StringBuilder(Math.Min(text.Length, max) + 24);
        var index = 0;
        for (; index < text.Length && builder.Length < max; index++)
        {
            var c = text[index];
            if (char.IsHighSurrogate(c) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]))
            {
                var codePoint = char.ConvertToUtf32(c, text[index + 1]);
                if (IsInvisible(CharUnicodeInfo.GetUnicodeCategory(codePoint)))
                {
                    builder.Append(CultureInfo.InvariantCulture, $"\\U{codePoint:X8}");
                }
                else
                {
                    builder.Append(c).Append(text[index + 1]);
                }

                index++;
                continue;
            }

            switch (c)
            {
                case '\r':
                    builder.Append("\\r");
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\t':
                    builder.Append("\\t");
                    break;
                case '\\':
                    // Escaped too, so that a literal "\n" in the text cannot pass for an escaped newline.
                    builder.Append("\\\\");
                    break;
                default:
                    if (char.IsSurrogate(c))
                    {
                        builder.Append('\uFFFD'); // half of a pair: not text at all
                    }
                    else if (IsInvisible(char.GetUnicodeCategory(c)))
                    {
                        builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        if (index < text.Length)
        {
            builder.Append(CultureInfo.InvariantCulture, $"…(+{text.Length - index} chars)");
        }

        return builder.ToString();
    }

    private static bool NeedsEscaping(string text)
    {
        for (var index = 0; index < text.Length; index++)
        {
            var c = text[index];
            if (c < ' ' || c == '\\' || (c >= 0x7F && (char.IsSurrogate(c) || IsInvisible(char.GetUnicodeCategory(c)))))
            {
                return true;
            }
        }

        return false;
    }

    // Controls end or rewrite lines; format characters (bidi overrides, zero-width joiners) and the
    // Unicode line/paragraph separators make a line read differently from what it holds.
    private static bool IsInvisible(UnicodeCategory category) => category is UnicodeCategory.Control
        or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
}
