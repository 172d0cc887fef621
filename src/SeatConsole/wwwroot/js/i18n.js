// The console's texts: zh-CN (the centre's language, the default) and English. Every word a seat
// reads comes from here; the API's own texts (timeline titles, errors) come in the language the
// console asks for with Accept-Language.

const zh = {
  title: '呼叫中心坐席台',
  signIn: '登录', signOut: '退出', userName: '用户名', password: '密码', role: '角色',
  openModeHint: '本节点尚未启用身份认证:输入坐席号即可登录。',
  seatId: '坐席号', districts: '服务辖区(每行一个)', onDuty: '上岗', offDuty: '下岗',
  dutyOn: '在岗', dutyOff: '未在岗', connected: '已连接', reconnecting: '重新连接中…',
  queue: '报警队列', myAlarms: '我处理中', queueEmpty: '暂无待处理报警', takenBy: '已被 {0} 接警',
  outageBanner: '{0} 大面积设备失联：{1} 台，已 {2}（多为停电或断网，非逐台报警）',
  supervisor: '班长视图', history: '体征历史', apiReference: 'API 文档', language: 'English',
  accept: '接警', resolve: '结案', outcome: '处置结果', notes: '备注', close: '关闭',
  age: '已等待', raisedAt: '报警时间', overdue: '超时', escalated: '已升级',
  profile: '老人档案', careLevel: '护理等级', conditions: '病史', medications: '用药', address: '地址', district: '辖区',
  phone: '电话', years: '{0}岁', contacts: '紧急联系人', devices: '设备', battery: '电量', lastSeen: '最后通信', heartRate: '心率',
  timeline: '处置记录', events: '事件', responders: '就近响应人', noResponders: '附近暂无可用响应人',
  flags: '异常标记', map: '位置', lastPosition: '最后位置', accuracy: '精度 {0} 米', home: '家',
  noPosition: '暂无位置', tilesOff: '底图不可用,仅显示位置与围栏',
  vitals: '体征', range: '时间范围', hours24: '24 小时', days7: '7 天', days30: '30 天', noData: '无数据',
  seatsOnDuty: '在岗坐席', overdueAlarms: '超时报警', todayFigures: '今日指标',
  raisedToday: '今日报警', acceptedToday: '已接警', resolvedToday: '已结案', openNow: '待接警',
  medianAccept: '接警时间中位数', within60: '60 秒内接警率', p90Accept: '接警时间 P90', seconds: '{0} 秒',
  unaccepted: '未接警', within180: '180 秒内接警率', medianResolve: '结案用时中位数', p90Resolve: '结案用时 P90',
  rightNow: '此刻', notResolved: '未结案', allDistricts: '全部辖区', figuresAsOf: '截至 {0}', figuresLive: '实时', figuresReport: '服务水平报表',
  notePlaceholder: '写下处理情况,结案前随时可加', addNote: '添加备注', closingNotes: '结案说明(可选)',
  callbacks: '回访', callbacksCount: '{0} 条待回访,{1} 条逾期', noCallbacks: '暂无待回访',
  callbacksHint: '真实紧急情况和无法联系的报警结案后需回访老人;记录结果后从列表移除。',
  elder: '老人', dueAt: '应回访时间', resolvedAt: '结案时间', callbackResultLabel: '回访结果', recordResult: '记录',
  callbackOverdue: '逾期', callbackDue: '待回访',
  callbackResult: { reached_well: '已联系,老人安好', needs_service: '已联系,需要服务', complaint: '投诉', not_reached: '未联系上' },
  shortcuts: '快捷键', shortcutTake: '接最上面的报警', shortcutMove: '上下选择', shortcutOpen: '打开所选报警',
  shortcutClose: '关闭卡片', shortcutNotes: '写备注', shortcutHelp: '显示/隐藏快捷键',
  signedInAs: '{0}({1})', noConsent: '本人未同意展示此项', family: '家属视图', alarmsOf: '报警记录',
  working: '处理中…', errorPrefix: '出错:', openAlarms: '进行中的报警', nobody: '无',
  status: { open: '待接警', accepted: '处理中', resolved: '已结案' },
  kind: {
    sos: 'SOS 呼救', fall: '跌倒', smoke: '烟雾', gas: '燃气', water: '水浸', wandering: '走失(离开安全区)',
    danger_zone: '进入危险区', vitals: '体征异常', inactivity: '长时间无活动', device_silent: '设备失联',
    low_battery: '电量低', not_worn: '未佩戴', door: '夜间开门',
  },
  severity: { critical: '紧急', high: '高', medium: '中', low: '低' },
  outcomeName: {
    real_emergency: '真实紧急情况', false_alarm: '误报', cancelled_by_elder: '老人取消', no_contact: '无法联系', test: '测试',
  },
  care: { self_care: '自理', assisted: '介助', nursing: '介护' },
  sex: { female: '女', male: '男' },
  notification: {
    pending: '待发送', queued: '排队中', sending: '发送中', sent: '已发送', delivered: '已送达', failed: '失败', not_sent: '未发送',
    answered: '已接听', replied: '已回复', no_answer: '未接听', busy: '占线', none: '未通知',
  },
  anomaly: {
    id_missing: '事件缺少编号', id_reused: '事件编号重复', clock_ahead: '设备时钟超前', clock_behind: '设备时钟滞后(迟到)',
    clock_unreadable: '设备时间无法识别', position_refused: '位置无效已忽略', payload_malformed: '报文部分有误',
  },
  change: {
    open: '待处理', offered: '新报警', joined: '追加事件', cancel_requested: '老人请求取消', escalated: '已升级',
    overdue: '已超时', accepted: '已接警', resolved: '已结案', note_added: '新备注',
  },
  responderKind: { community_staff: '社区工作人员', volunteer: '志愿者', service_provider: '服务商', care_worker: '护理员' },
  metric: { hr: '心率', spo2: '血氧', sbp: '收缩压', dbp: '舒张压', steps: '步数', battery: '电量' },
  presence: { watching: '在线', reconnecting: '重连中', away: '离开', off_duty: '未在岗' },
};

const en = {
  title: 'Dispatch console',
  signIn: 'Sign in', signOut: 'Sign out', userName: 'User name', password: 'Password', role: 'Role',
  openModeHint: 'This node has no authentication yet: sign in with a seat id.',
  seatId: 'Seat id', districts: 'Districts (one a line)', onDuty: 'Go on duty', offDuty: 'Go off duty',
  dutyOn: 'On duty', dutyOff: 'Off duty', connected: 'Connected', reconnecting: 'Reconnecting…',
  queue: 'Alarm queue', myAlarms: 'My alarms', queueEmpty: 'No alarms waiting', takenBy: 'Taken by {0}',
  outageBanner: 'Mass outage in {0}: {1} devices silent for {2} (likely power or network, not one alarm each)',
  supervisor: 'Supervisor', history: 'Vitals history', apiReference: 'API reference', language: '中文',
  accept: 'Accept', resolve: 'Resolve', outcome: 'Outcome', notes: 'Notes', close: 'Close',
  age: 'Waiting', raisedAt: 'Raised', overdue: 'Overdue', escalated: 'Escalated',
  profile: 'Elder record', careLevel: 'Care level', conditions: 'Conditions', medications: 'Medications', address: 'Address', district: 'District',
  phone: 'Phone', years: '{0} years', contacts: 'Contacts', devices: 'Devices', battery: 'Battery', lastSeen: 'Last seen', heartRate: 'Heart rate',
  timeline: 'Timeline', events: 'Events', responders: 'Nearest responders', noResponders: 'No available responder nearby',
  flags: 'Flags', map: 'Position', lastPosition: 'Last position', accuracy: '±{0} m', home: 'Home',
  noPosition: 'No position yet', tilesOff: 'No map tiles: positions and zones only',
  vitals: 'Vitals', range: 'Range', hours24: '24 hours', days7: '7 days', days30: '30 days', noData: 'No data',
  seatsOnDuty: 'Seats on duty', overdueAlarms: 'Overdue alarms', todayFigures: "Today's figures",
  raisedToday: 'Raised today', acceptedToday: 'Accepted', resolvedToday: 'Resolved', openNow: 'Waiting now',
  medianAccept: 'Median time to accept', within60: 'Accepted within 60 s', p90Accept: '90th percentile to accept', seconds: '{0} s',
  unaccepted: 'Not accepted', within180: 'Accepted within 180 s', medianResolve: 'Median time to resolve', p90Resolve: '90th percentile to resolve',
  rightNow: 'Right now', notResolved: 'Not resolved', allDistricts: 'All districts', figuresAsOf: 'as of {0}', figuresLive: 'live', figuresReport: 'service-level report',
  notePlaceholder: 'What was done or learnt; add notes any time before resolving', addNote: 'Add note', closingNotes: 'Closing remark (optional)',
  callbacks: 'Call-backs', callbacksCount: '{0} to make, {1} overdue', noCallbacks: 'No call-backs to make',
  callbacksHint: 'Real emergencies and alarms where nobody was reached are followed by a call to the elder; recording the result takes it off the list.',
  elder: 'Elder', dueAt: 'Due', resolvedAt: 'Resolved', callbackResultLabel: 'Result', recordResult: 'Record',
  callbackOverdue: 'Overdue', callbackDue: 'Due',
  callbackResult: { reached_well: 'Reached, elder well', needs_service: 'Reached, needs a service', complaint: 'Complaint', not_reached: 'Not reached' },
  shortcuts: 'Keyboard shortcuts', shortcutTake: 'Take the top alarm', shortcutMove: 'Move the selection', shortcutOpen: 'Open the selected alarm',
  shortcutClose: 'Close the card', shortcutNotes: 'Write a note', shortcutHelp: 'Show/hide shortcuts',
  signedInAs: '{0} ({1})', noConsent: 'Not shown: no consent', family: 'Family view', alarmsOf: 'Alarms',
  working: 'Working…', errorPrefix: 'Error: ', openAlarms: 'Open alarms', nobody: 'none',
  status: { open: 'Waiting', accepted: 'In progress', resolved: 'Resolved' },
  kind: {
    sos: 'SOS', fall: 'Fall', smoke: 'Smoke', gas: 'Gas', water: 'Water leak', wandering: 'Wandering (left a safe zone)',
    danger_zone: 'Entered a danger zone', vitals: 'Vitals out of range', inactivity: 'Inactive too long', device_silent: 'Device silent',
    low_battery: 'Low battery', not_worn: 'Not worn', door: 'Door at night',
  },
  severity: { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low' },
  outcomeName: {
    real_emergency: 'Real emergency', false_alarm: 'False alarm', cancelled_by_elder: 'Cancelled by the elder', no_contact: 'Nobody reached', test: 'Test',
  },
  care: { self_care: 'Self-care', assisted: 'Assisted', nursing: 'Nursing' },
  sex: { female: 'Female', male: 'Male' },
  notification: {
    pending: 'Pending', queued: 'Queued', sending: 'Sending', sent: 'Sent', delivered: 'Delivered', failed: 'Failed', not_sent: 'Not sent',
    answered: 'Answered', replied: 'Replied', no_answer: 'No answer', busy: 'Busy', none: 'Not notified',
  },
  anomaly: {
    id_missing: 'Event without id', id_reused: 'Event id reused', clock_ahead: 'Device clock ahead', clock_behind: 'Device clock behind (late)',
    clock_unreadable: 'Device time unreadable', position_refused: 'Bad position left out', payload_malformed: 'Part of the message malformed',
  },
  change: {
    open: 'Waiting', offered: 'New alarm', joined: 'Event joined', cancel_requested: 'Elder asks to cancel', escalated: 'Escalated',
    overdue: 'Overdue', accepted: 'Accepted', resolved: 'Resolved', note_added: 'Note added',
  },
  responderKind: { community_staff: 'Community staff', volunteer: 'Volunteer', service_provider: 'Service provider', care_worker: 'Care worker' },
  metric: { hr: 'Heart rate', spo2: 'SpO₂', sbp: 'Systolic', dbp: 'Diastolic', steps: 'Steps', battery: 'Battery' },
  presence: { watching: 'Watching', reconnecting: 'Reconnecting', away: 'Away', off_duty: 'Off duty' },
};

const catalogues = { 'zh-CN': zh, en };
const stored = localStorage.getItem('elderiot.language');
let language = stored && catalogues[stored] ? stored : 'zh-CN';

export const languages = Object.keys(catalogues);

export function currentLanguage() {
  return language;
}

export function setLanguage(next) {
  language = catalogues[next] ? next : 'zh-CN';
  localStorage.setItem('elderiot.language', language);
  document.documentElement.lang = language;
}

/** A text by key ("kind.sos" reaches into groups), with {0}, {1} filled in; an unknown word shows as itself. */
export function t(key, ...args) {
  let value = key.split('.').reduce((node, part) => (node && typeof node === 'object' ? node[part] : undefined), catalogues[language]);
  if (typeof value !== 'string') {
    value = key.includes('.') ? key.slice(key.indexOf('.') + 1) : key;
  }
  return args.reduce((text, arg, i) => text.replaceAll(`{${i}}`, String(arg)), value);
}

/** The names of a group ("outcomeName") as [key, text] pairs, in catalogue order. */
export function entries(group) {
  return Object.entries(catalogues[language][group] ?? {});
}

document.documentElement.lang = language;
