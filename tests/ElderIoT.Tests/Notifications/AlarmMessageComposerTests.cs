using ElderIoT.Contracts.Alarms;
using ElderIoT.Grains.Notifications;
using ElderIoT.Records;
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

    private static string Compose(AlarmKind kind, string language)
    {
        var composer = new AlarmMessageComposer(Options.Create(new NotificationOptions()));
        var alarm = new AlarmSnapshot(Guid.NewGuid(), Guid.NewGuid(), "南京市/鼓楼区", kind, AlarmStatus.Open, false, 0,
            new DateTimeOffset(2026, 11, 25, 4, 0, 0, TimeSpan.Zero), "w-1", null, null, null, null, null, null, false);
        var elder = new ElderRecord { Name = "王秀英", Address = "南京市鼓楼区颐和路12号", District = "南京市/鼓楼区", Language = "zh-CN" };
        var contact = new ContactRecord { Name = "Li Ming", Relation = "son", Phone = "+8613800000001", Language = language };
        return composer.Compose(alarm, elder, contact);
    }
}
