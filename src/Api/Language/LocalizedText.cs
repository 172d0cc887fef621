using System.Globalization;

namespace ElderIoT.Api.Language;

/// <summary>
/// One text a seat reads, in each language the centre speaks. Chosen when it is written out, by the
/// request's culture (set by the request localization middleware from Accept-Language), so the
/// texts are composed once by key in <see cref="ApiTexts"/> and never translated after the fact.
/// </summary>
public sealed record LocalizedText(string ZhCn, string En)
{
    /// <summary>A text that is the same in every language (a value the client sent, a framework diagnostic).</summary>
    public static LocalizedText Verbatim(string text) => new(text, text);

    /// <summary>The text in the current request's language: English for <c>en*</c>, otherwise the centre's Chinese.</summary>
    public string Render() => ApiLanguages.IsEnglish(CultureInfo.CurrentUICulture) ? En : ZhCn;

    /// <summary>The text in a person's own language (an elder's, a contact's: zh-CN, otherwise English), whatever the request asked for.</summary>
    public string In(string language) => language.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? ZhCn : En;

    public override string ToString() => Render();
}
