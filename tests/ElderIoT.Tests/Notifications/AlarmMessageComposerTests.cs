using ElderIoT.Contracts.Alarms;
using ElderIoT.Contracts.Elders;
using ElderIoT.Grains.Notifications;
using Microsoft.Extensions.Options;

namespace ElderIoT.Tests.Notifications;

/// <summary>What a family contact reads or hears reads as their language reads, and says how long the alarm has waited.</summary>
public sealed class AlarmMessageComposerTests
{
    private static readonly AlarmMessageComposer Composer = new(Options.Create(new NotificationOptions()));

    [Theory]
    [InlineData(AlarmKind.Sos, "raised an SOS alarm at 12:00 on 25 Nov")]
    [InlineData(AlarmKind.Fall, "raised a fall alarm at 12:00 on 25 Nov")]
    [InlineData(AlarmKind.Gas, "raised a gas leak alarm at")]
    public void AnEnglishTextHasTheRightArticle(AlarmKind kind, string expected)
    {
        Assert.Contains(expected, Text([kind], "en", TimeSpan.Zero), StringComparison.Ordinal);
    }

    [Fact]
    public void AChineseTextNamesTheKindInChinese()
    {
        Assert.Contains("11月25日 12:00触发紧急呼叫（SOS）报警", Text([AlarmKind.Sos], "zh-CN", TimeSpan.Zero), StringComparison.Ordinal);
    }

    [Fact]
    public void AnIncidentTextNamesEveryKindInIt()
    {
        Assert.Contains("raised a smoke, gas leak alarm at", Text([AlarmKind.Smoke, AlarmKind.Gas], "en", TimeSpan.Zero), StringComparison.Ordinal);
        Assert.Contains("触发烟雾、燃气泄漏报警", Text([AlarmKind.Smoke, AlarmKind.Gas], "zh-CN", TimeSpan.Zero), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en", "is still not answered after 60 s")]
    [InlineData("zh-CN", "60秒后仍无坐席接警")]
    public void ALaterStepSaysHowLongTheAlarmHasWaitedAndDiffersFromTheFirst(string language, string expected)
    {
        var first = Text([AlarmKind.Sos], language, TimeSpan.Zero);
        var later = Text([AlarmKind.Sos], language, TimeSpan.FromSeconds(60));

        Assert.NotEqual(first, later);
        Assert.Contains(expected, later, StringComparison.Ordinal);
        Assert.DoesNotContain(expected, first, StringComparison.Ordinal);
    }

    [Fact]
    public void ALaterEnglishStepReadsAsEnglish()
    {
        Assert.Contains("Wang Xiuying's SOS alarm of 12:00 on 25 Nov is still not answered after 180 s.",
            Text([AlarmKind.Sos], "en", TimeSpan.FromSeconds(180), elderName: "Wang Xiuying"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en", "Reply 1 if you can go.")]
    [InlineData("zh-CN", "请回复1或“到”")]
    public void ATextSaysHowToAnswer(string language, string expected)
    {
        Assert.Contains(expected, Text([AlarmKind.Sos], language, TimeSpan.Zero), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en", "raised an SOS alarm at 12:00 on 25 Nov, at 南京市鼓楼区颐和路12号. If you can go, press 1.")]
    [InlineData("zh-CN", "王秀英于11月25日 12:00触发了紧急呼叫（SOS）报警，地址：南京市鼓楼区颐和路12号。如果您能前往，请按1。")]
    public void ACallSaysWhoWhatWhenWhereAndAsksForOne(string language, string expected)
    {
        var (alarm, elder, contact) = Case([AlarmKind.Sos], language);

        var speech = Composer.Speech(alarm, elder, contact, TimeSpan.Zero);

        Assert.Contains(expected, speech, StringComparison.Ordinal);
        Assert.DoesNotContain("GPS", speech, StringComparison.Ordinal);
    }

    [Fact]
    public void ALaterCallSaysHowLongTheAlarmHasWaited()
    {
        var (alarm, elder, contact) = Case([AlarmKind.Fall], "en");

        Assert.Contains("It is still not answered after 60 seconds.", Composer.Speech(alarm, elder, contact, TimeSpan.FromSeconds(60)), StringComparison.Ordinal);
    }

    private static string Text(AlarmKind[] kinds, string language, TimeSpan waited, string elderName = "王秀英")
    {
        var (alarm, elder, contact) = Case(kinds, language, elderName);
        return Composer.Text(alarm, elder, contact, waited);
    }

    private static (AlarmSnapshot, AlarmElder, Contact) Case(AlarmKind[] kinds, string language, string elderName = "王秀英")
    {
        var alarm = new AlarmSnapshot(Guid.NewGuid(), Guid.NewGuid(), "南京市/鼓楼区", kinds[0], AlarmStatus.Open, false, 0,
            new DateTimeOffset(2026, 11, 25, 4, 0, 0, TimeSpan.Zero), "w-1", null, null, null, null, null, null, false) { Kinds = kinds };
        var contact = new Contact("Li Ming", "son", "+8613800000001", language);
        var elder = new AlarmElder(Guid.NewGuid(), elderName, "南京市鼓楼区颐和路12号", "南京市/鼓楼区", "zh-CN", [contact]);
        return (alarm, elder, contact);
    }
}
