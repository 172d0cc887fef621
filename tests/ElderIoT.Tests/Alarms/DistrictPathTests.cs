using ElderIoT.Contracts.Elders;

namespace ElderIoT.Tests.Alarms;

public sealed class DistrictPathTests
{
    [Theory]
    [InlineData("南京市/鼓楼区", "南京市/鼓楼区/宁海路街道/颐和路社区", true)]
    [InlineData("南京市/鼓楼区", "南京市/鼓楼区", true)]
    [InlineData("南京市", "南京市/玄武区/梅园新村街道", true)]
    [InlineData("南京市/鼓楼", "南京市/鼓楼区/宁海路街道", false)]
    [InlineData("南京市/玄武区", "南京市/鼓楼区/宁海路街道", false)]
    [InlineData(" 南京市 / 鼓楼区/ ", "南京市/鼓楼区/宁海路街道", true)]
    [InlineData("", "南京市/鼓楼区", false)]
    public void APrefixCoversWholeSegmentsOnly(string prefix, string district, bool covers) =>
        Assert.Equal(covers, DistrictPath.Covers(prefix, district));
}
