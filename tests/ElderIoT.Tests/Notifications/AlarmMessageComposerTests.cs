using ElderIoT.Contracts.Alarms;
using ElderIoT.Grains.Notifications;
using ElderIoT.Contracts.Elders;
using Microsoft.Extensions.Options;

namespace ElderIoT.Tests.Notifications;

/// <summary>The text a family contact receives reads as their language reads.</summary>
public sealed class AlarmMessageComposerTests
{
    [Theory]
    [InlineData(AlarmKind.Sos, "raised an SOS alarm at 12:00 on 25 Nov")]
    [InlineData(AlarmKind.Fall, "raised a fall alarm at 12:00 on 25 Nov")]
    [InlineData(AlarmKind.Gas, "raised a gas leak alarm at")]
    public void AnEnglishTextHasTheRightArticle(AlarmKind kind, string expected)
    {
        var text = Compose(kind, "en");

        Assert.Contains(expected, text, StringComparison.Ordinal);
    }

    [Fact]
    public void AChineseTextNamesTheKindInChinese()
    {
        Assert.Contains("11月25日 12:00触发紧急呼叫（SOS）报警", Compose(AlarmKind.Sos, "zh-CN"), StringComparison.Ordinal);
    }

    [Fact]
    public void AnIncidentTextNamesEveryKindInIt()
    {
        Assert.Contains("raised a smoke, gas leak alarm at", Compose([AlarmKind.Smoke, AlarmKind.Gas], "en"), StringComparison.Ordinal);
        Assert.Contains("触发烟雾、燃气泄漏报警", Compose([AlarmKind.Smoke, AlarmKind.Gas], "zh-CN"), StringComparison.Ordinal);
    }

    private static string Compose(AlarmKind kind, string language) => Compose([kind], language);

    private static string Compose(AlarmKind[] kinds, string language)
    {
        var kind = kinds[0];
        var composer = new AlarmMessageComposer(Options.Create(new NotificationOptions()));
        var alarm = new AlarmSnapshot(Guid.NewGuid(), Guid.NewGuid(), "南京市/鼓楼区", kind, AlarmStatus.Open, false, 0,
            new DateTimeOffset(2026, 11, 25, 4, 0, 0, TimeSpan.Zero), "w-1", null, null, null, null, null, null, false) { Kinds = kinds };
        var contact = new Contact("Li Ming", "son", "+8613800000001", language);
        var elder = new AlarmElder(Guid.NewGuid(), "王秀英", "南京市鼓楼区颐和路12号", "南京市/鼓楼区", "zh-CN", [contact]);
        return composer.Compose(alarm, elder, contact);
    }
}
