using System.Globalization;

namespace ElderIoT.Api.Language;

/// <summary>
/// Every text of the API that a seat reads, in zh-CN and English, by key: problem titles, the
/// message of each invalid field, the forms a value is expected in. Endpoints name a key here
/// (and its parameters); <see cref="LocalizedText.Render"/> picks the language of the request.
/// </summary>
public static class ApiTexts
{
    // Problem titles.
    public static readonly LocalizedText InvalidFields = new("请求中有无效的字段。", "The request has invalid fields.");
    public static readonly LocalizedText AlarmConflict = new("报警当前的状态不允许此操作。", "The alarm is not in a state that allows this.");
    public static readonly LocalizedText DeviceAlreadyRegistered = new("该设备已经注册。", "The device is already registered.");
    public static readonly LocalizedText NotFound = new("未找到。", "Not found.");
    public static readonly LocalizedText CallbackDone = new("该回访已记录结果。", "The call-back already has a result.");
    public static readonly LocalizedText VisitNotOpen = new("该探访不是进行中的状态。", "The visit is not open.");
    public static readonly LocalizedText Forbidden = new("您的角色无权访问此内容。", "Your role may not reach this.");
    public static readonly LocalizedText SignInFailed = new("用户名或密码不正确。", "The user name or password is wrong.");
    public static readonly LocalizedText NotASeat = new("请以坐席身份登录：此操作以坐席的名义进行。", "Sign in as a seat: this is done in a seat's name.");
    public static readonly LocalizedText AlarmHeldElsewhere = new("该报警已由其他坐席受理，或已处理完毕。", "Another seat holds the alarm, or it is closed.");
    public static readonly LocalizedText UserExists = new("该用户名已存在。", "The user name is taken.");
    public static readonly LocalizedText SendJson = new("请以 application/json 发送请求体。", "Send the body as application/json.");

    // Field messages that many endpoints share.
    public static readonly LocalizedText Required = new("为必填项", "is required");
    public static readonly LocalizedText ZeroOrMore = new("须为 0 或更大", "must be 0 or more");
    public static readonly LocalizedText PhoneE164 = new("须为 E.164 格式的号码，例如 +8613800000000", "must be an E.164 number such as +8613800000000");
    public static readonly LocalizedText ZhCnOrEn = OneOf("zh-CN", "en");

    public static LocalizedText AtMostCharacters(int max) => new($"最多 {max} 个字符", $"must be at most {max} characters");

    public static LocalizedText AtMostEntries(int max) => new($"最多 {max} 项", $"at most {max} entries");

    public static LocalizedText Between(object min, object max) =>
        new(Invariant($"须在 {min} 到 {max} 之间"), Invariant($"must be between {min} and {max}"));

    /// <summary>"must be a, b or c": the words are the API's own values, the same in every language.</summary>
    public static LocalizedText OneOf(params string[] words) => words.Length == 1
        ? new($"须为 {words[0]}", $"must be {words[0]}")
        : new($"须为 {string.Join("、", words[..^1])} 或 {words[^1]}", $"must be {string.Join(", ", words[..^1])} or {words[^1]}");

    /// <summary>"must be at least minAge": a bound that must not be below another field.</summary>
    public static LocalizedText AtLeast(string field) => new($"须不小于 {field}", $"must be at least {field}");

    public static LocalizedText BroadcastTooLarge(int recipients, int max) =>
        new(Invariant($"将发给 {recipients} 位老人，一次最多 {max} 位：请缩小范围"), Invariant($"would reach {recipients} elders; at most {max} at once: narrow it"));

    public static LocalizedText VoiceBroadcastTooLong(int max) =>
        new(Invariant($"语音播报最多 {max} 个字符：电话会把它说两遍"), Invariant($"must be at most {max} characters for a voice broadcast: the call says it twice"));

    // Answers to a texted 退订/START (TwiML <Message>), in the sender's own language. TD, not STOP, is
    // offered: Twilio acts on STOP itself and then blocks every text from the centre's number, alarm texts too.
    public static readonly LocalizedText CareOptedOut = new(
        "您已退订关怀信息（天气预警、健康提示），不会再收到。回复“订阅”可重新订阅。紧急求助不受影响。",
        "You will get no more care messages (weather warnings, health tips). Reply START to get them again. Emergency help is not affected.");

    public static readonly LocalizedText CareOptedIn = new(
        "您已重新订阅关怀信息。回复TD可随时退订。",
        "You will get care messages again. Reply TD to stop them at any time.");

    public static readonly LocalizedText FamilyOptOutNoted = new(
        "已记录您的要求。关怀信息只发给老人；老人报警时的通知仍会发给您，以免求助无人知晓。如需更改，请联系服务中心。",
        "Your wish is noted. Care messages go to elders only; alarm alerts about your relative will still reach you, so that no call for help goes unheard. To change this, call the care centre.");

    public static readonly LocalizedText FamilyOptInNoted = new(
        "已记录。老人报警时的通知会继续发给您。",
        "Noted. Alarm alerts about your relative will keep reaching you.");

    // Elders.
    public static readonly LocalizedText DistrictPath = new(
        "须为 市/区/街道/社区 形式的路径，例如 南京市/鼓楼区/宁海路街道/颐和路社区",
        "must be a path city/district/street/community, such as 南京市/鼓楼区/宁海路街道/颐和路社区");

    public static LocalizedText DistrictSegmentTooLong(int max) => new($"每一段最多 {max} 个字符", $"each segment may be at most {max} characters");

    // Call-backs (回访).
    public static readonly LocalizedText CallbackStatus = OneOf("pending", "done");
    public static readonly LocalizedText CallbackResult = OneOf("reached_well", "needs_service", "complaint", "not_reached");

    public static readonly LocalizedText CareLevel = OneOf("self_care", "assisted", "nursing");

    public static readonly LocalizedText BirthDate = new("须为 1900 年到今天之间的日期", "must be a date between 1900 and today");

    public static LocalizedText AtMostContacts(int max) => new($"最多 {max} 位联系人", $"at most {max} contacts");

    public static readonly LocalizedText ContactNotNull = new("须为联系人 {name, relation, phone}，不能为 null", "must be a contact {name, relation, phone}, not null");
    public static readonly LocalizedText ContactPhonesDistinct = new("每位联系人须有自己的电话号码", "each contact needs a phone number of their own");

    // Devices and commands.
    public static readonly LocalizedText DeviceIdCharacters = new(
        "只能包含字母、数字、'-'、'_' 和 '.'（它会成为 MQTT 主题的一部分）",
        "may hold only letters, digits, '-', '_' and '.' (it becomes part of MQTT topics)");

    public static LocalizedText NoElder(Guid id) => new($"没有 id 为 {id} 的老人", $"no elder has id {id}");

    public static readonly LocalizedText CommandType = new("指令须为带字符串字段 'type' 的 JSON 对象", "a command is a JSON object with a string 'type'");
    public static readonly LocalizedText CommandIdByCentre = new(
        "由中心给出：设备在此字段中看到指令的 id", "is given by the centre: the device sees the command's id in this field");

    public static LocalizedText CommandTooLong(int max) =>
        new($"JSON 最多 {max} 个字符（设备的输入缓冲区很小）", $"must be at most {max} characters of JSON (a device's input buffer is small)");

    public static readonly LocalizedText PositiveSeconds = new("须为正的秒数", "must be a positive number of seconds");

    // Seats.
    public static LocalizedText DistrictPrefixes(int max) =>
        new($"请给出 1 到 {max} 个辖区前缀，例如 [\"南京市/鼓楼区\"]", $"give 1 to {max} district prefixes, such as [\"南京市/鼓楼区\"]");

    public static LocalizedText DistrictPrefix(int max) => new(
        $"须为 1 到 {max} 个字符、至少有一段的辖区前缀，例如 南京市/鼓楼区",
        $"must be a district prefix of 1 to {max} characters with at least one segment, such as 南京市/鼓楼区");

    public static readonly LocalizedText SeatId = new(
        "须为 1 到 64 个字母、数字、'.'、'_' 或 '-'，例如 seat-01", "must be 1 to 64 letters, digits, '.', '_' or '-', such as seat-01");

    public static LocalizedText DistrictsNotYours(string district) =>
        new($"'{district}' 不在您的辖区内", $"'{district}' is not within your districts");

    // Users and commands by role.
    public static readonly LocalizedText UserName = new(
        "须为 1 到 64 个字母、数字、'.'、'_'、'@' 或 '-'", "must be 1 to 64 letters, digits, '.', '_', '@' or '-'");

    public static readonly LocalizedText Password = new("须为 12 到 200 个字符", "must be 12 to 200 characters");
    public static readonly LocalizedText Roles = OneOf("seat", "supervisor", "admin", "installer", "family");
    public static readonly LocalizedText SeatNeedsSeatId = new("坐席须有坐席编号", "a seat needs a seat id");
    public static readonly LocalizedText FamilyNeedsElder = new("家属须关联一位老人", "a family member needs an elder");

    public static LocalizedText CommandNotKnown(IEnumerable<string> types) =>
        new($"须为已知的指令类型：{string.Join("、", types)}", $"must be a known command type: {string.Join(", ", types)}");

    public static LocalizedText CommandNotForRole(string type) =>
        new($"您的角色不能发送指令 '{type}'", $"your role may not send '{type}'");

    // Geofences, visits and responders.
    public static readonly LocalizedText GeofenceInvalid = new("地理围栏无效。", "The geofence is invalid.");

    public static LocalizedText UnknownTimeZone(string zone) =>
        new($"'{zone}' 不是已知的时区（IANA 名称，例如 Asia/Shanghai）", $"'{zone}' is not a known time zone (IANA, e.g. Asia/Shanghai)");

    public static LocalizedText MetresBetween(int min, int max) => new($"须在 {min} 到 {max} 米之间", $"must be {min}..{max} metres");

    public static LocalizedText SecondsBetween(double min, double max) =>
        new(Invariant($"须在 {min} 到 {max} 秒之间"), Invariant($"must be {min}..{max} seconds"));

    public static readonly LocalizedText GeoJsonFeature = new(
        "请求体须为 GeoJSON Feature（{\"type\":\"Feature\",\"geometry\":…,\"properties\":…}）",
        "the body must be a GeoJSON Feature ({\"type\":\"Feature\",\"geometry\":…,\"properties\":…})");

    public static readonly LocalizedText GeofencePropertiesRequired = new("为必填项：name 和 kind（safe 或 danger）", "is required: name and kind (safe or danger)");
    public static readonly LocalizedText GeofenceKindRequired = new("为必填项：safe 或 danger", "is required: safe or danger");

    public static LocalizedText NotAGeofenceKind(string kind) => new($"'{kind}' 不是 safe 或 danger", $"'{kind}' is not safe or danger");

    public static readonly LocalizedText HomeIsSafe = new("家的区域须为安全区域（safe）", "the home zone is a safe zone");
    public static readonly LocalizedText MetresNumber = new("须为米数", "must be a number of metres");
    public static readonly LocalizedText NonNegativeMetres = new("须为非负的米数", "must be a non-negative number of metres");
    public static readonly LocalizedText GeometryRequired = new(
        "为必填项：Polygon、MultiPolygon，或带 properties.radius 的 Point", "is required: Polygon, MultiPolygon, or Point with properties.radius");

    public static readonly LocalizedText ScheduleForm = new(
        "须为 {\"days\":[\"mon\",…], \"from\":\"HH:mm\", \"to\":\"HH:mm\"}", "must be {\"days\":[\"mon\",…], \"from\":\"HH:mm\", \"to\":\"HH:mm\"}");

    public static readonly LocalizedText ScheduleTimeRequired = new("为必填项：老人所在时区的 HH:mm", "is required: HH:mm in the elder's time zone");

    public static LocalizedText NotHoursMinutes(string text) => new($"'{text}' 不是 HH:mm 格式", $"'{text}' is not HH:mm");

    public static LocalizedText NotOneOf(string value, IEnumerable<string> words) =>
        new($"{value} 不是 {string.Join("、", words)} 之一", $"{value} is not one of {string.Join(", ", words)}");

    public static readonly LocalizedText LatLonRequired = new("须有 lat 和 lon", "lat and lon are required");

    // History queries.
    public static LocalizedText TooManyIntervals(int max) => new($"相对于时间范围过小：最多 {max} 个区间", $"too small for the range: at most {max} intervals");

    public static readonly LocalizedText FromBeforeTo = new("须早于 to", "must be before to");

    public static LocalizedText SpanAtMostDays(double days) =>
        new(Invariant($"时间范围最多 {days:0.#} 天"), Invariant($"the range may span at most {days:0.#} days"));

    public static readonly LocalizedText IntervalForm = new("须为数字加单位：s、m、h 或 d（例如 5m）", "must be a number and a unit: s, m, h or d (such as 5m)");
    public static readonly LocalizedText IntervalAtLeastOneSecond = new("至少为 1s", "must be at least 1s");
    public static readonly LocalizedText TimeForm = new(
        "须为 ISO 8601 时间（2026-11-25T08:00:00+08:00）或 Unix 毫秒数", "must be ISO 8601 (2026-11-25T08:00:00+08:00) or epoch milliseconds");

    // Bodies and values the framework could not read.
    public static LocalizedText BodyAtMostBytes(long max) => new($"最多 {max} 字节", $"must be at most {max} bytes");

    public static readonly LocalizedText BodyContentType = new("须以 Content-Type: application/json 发送", "must be sent as Content-Type: application/json");
    public static readonly LocalizedText BodyRequired = new("为必填项：须为文档所述形状的 JSON 对象", "is required: a JSON object of the documented shape");

    public static LocalizedText NotValidJsonHere(string diagnostic) => new($"此处不是有效的 JSON（{diagnostic}）", $"is not valid JSON here ({diagnostic})");

    /// <summary>"must be" and a form from <see cref="Forms"/>.</summary>
    public static LocalizedText MustBe(LocalizedText form) => new($"须为{form.ZhCn}", $"must be {form.En}");

    /// <summary>The forms a value is expected in.</summary>
    public static class Forms
    {
        public static readonly LocalizedText WholeNumber = new("整数", "a whole number");
        public static readonly LocalizedText Number = new("数字", "a number");
        public static readonly LocalizedText Boolean = new(" true 或 false", "true or false");
        public static readonly LocalizedText Uuid = new(" UUID，例如 3f2504e0-4f89-11d3-9a0c-0305e82c3301", "a UUID such as 3f2504e0-4f89-11d3-9a0c-0305e82c3301");
        public static readonly LocalizedText Date = new(" YYYY-MM-DD 形式的日期，例如 1941-03-02", "a date in the form YYYY-MM-DD, such as 1941-03-02");
        public static readonly LocalizedText Time = new(" ISO 8601 时间，例如 2026-11-25T08:00:00+08:00", "an ISO 8601 time such as 2026-11-25T08:00:00+08:00");
        public static readonly LocalizedText Duration = new("时长，例如 00:05:00", "a duration such as 00:05:00");
        public static readonly LocalizedText Text = new("字符串", "a string");
        public static readonly LocalizedText Array = new(" JSON 数组", "a JSON array");
        public static readonly LocalizedText Object = new("文档所述形状的 JSON 对象", "a JSON object of the documented shape");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
