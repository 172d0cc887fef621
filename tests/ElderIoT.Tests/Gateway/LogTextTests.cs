using ElderIoT.Gateway.Guard;

namespace ElderIoT.Tests.Gateway;

public sealed class LogTextTests
{
    [Theory]
    [InlineData("w-1234.ab_C", "w-1234.ab_C")]
    [InlineData("南京-手表", "南京-手表")]
    [InlineData("a\r\nb", "a\\r\\nb")]
    [InlineData("tab\there", "tab\\there")]
    [InlineData("back\\slash", "back\\\\slash")]
    [InlineData("bell\u0007nul\u0000", "bell\\u0007nul\\u0000")]
    [InlineData("line\u2028sep\u2029para\u0085nel", "line\\u2028sep\\u2029para\\u0085nel")]
    [InlineData("admin\u202Etxt.exe", "admin\\u202Etxt.exe")]
    [InlineData("emoji 🚨 ok", "emoji 🚨 ok")]
    [InlineData(null, "(none)")]
    public void ClientTextBecomesOneVisibleLine(string? text, string expected) => Assert.Equal(expected, LogText.Safe(text));

    [Fact]
    public void HalfASurrogatePairBecomesTheReplacementCharacter()
    {
        // Built at run time: a lone surrogate does not survive as attribute data.
        var lone = "lone" + (char)0xD800 + "surrogate" + (char)0xDC00;

        Assert.Equal("lone\uFFFDsurrogate\uFFFD", LogText.Safe(lone));
    }

    [Fact]
    public void LongTextIsCutAndSaysHowMuchWasCut()
    {
        var safe = LogText.Safe(new string('A', 60_000));

        Assert.Equal(new string('A', LogText.DefaultMax) + $"…(+{60_000 - LogText.DefaultMax} chars)", safe);
    }

    [Fact]
    public void EscapesCannotPushTheResultFarOverTheLimit()
    {
        var safe = LogText.Safe(new string('\n', 10_000), max: 20);

        Assert.True(safe.Length < 40, safe);
        Assert.DoesNotContain('\n', safe);
    }
}
