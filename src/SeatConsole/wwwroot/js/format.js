// Times in the centre's time zone (learnt from GET /api/centre), ages, and small DOM helpers.

import { currentLanguage, t } from './i18n.js';

let timeZone = 'Asia/Shanghai';

export function setTimeZone(zone) {
  timeZone = zone || timeZone;
}

export function centreTimeZone() {
  return timeZone;
}

/** A date and time as the centre's clock shows it. */
export function dateTime(value) {
  if (!value) {
    return '—';
  }
  return new Intl.DateTimeFormat(currentLanguage(), {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
  }).format(new Date(value));
}

export function time(value) {
  if (!value) {
    return '—';
  }
  return new Intl.DateTimeFormat(currentLanguage(), { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }).format(new Date(value));
}

/** The start of today on the centre's clock, as an instant. */
export function startOfCentreDay(now = new Date()) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
  }).formatToParts(now).map(p => [p.type, p.value]));
  const hour = Number(parts.hour) % 24;
  const sinceMidnight = ((hour * 60 + Number(parts.minute)) * 60 + Number(parts.second)) * 1000 + now.getMilliseconds();
  return new Date(now.getTime() - sinceMidnight);
}

/** Today's date on the centre's clock, as YYYY-MM-DD (the day the service-level figures are of). */
export function centreDay(now = new Date()) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(now).map(p => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** 0:42, 12:05, 1:02:33: how long something has waited. */
export function duration(ms) {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

// Until the node sends each alarm's severity (alarm-core), the console falls back to the contract's
// defaults per kind (src/Contracts/Alarms/AlarmSeverities.cs); a node that sends it always wins.
const defaultSeverity = {
  sos: 'critical', fall: 'critical', smoke: 'critical', gas: 'critical',
  water: 'high', vitals: 'high', wandering: 'high', danger_zone: 'high', inactivity: 'high',
  door: 'medium', device_silent: 'low', low_battery: 'low', not_worn: 'low',
};
const severityRank = { critical: 3, high: 2, medium: 1, low: 0 };

export function severityOf(alarm) {
  return alarm.severity ?? defaultSeverity[alarm.kind] ?? 'high';
}

export function severityRankOf(alarm) {
  return severityRank[severityOf(alarm)] ?? 2;
}

/** Critical first, then the oldest: the order a seat should take them in. */
export function queueOrder(a, b) {
  return severityRankOf(b.alarm) - severityRankOf(a.alarm) || new Date(a.alarm.raisedAt) - new Date(b.alarm.raisedAt);
}

/** Builds an element: h('div', {class: 'x', onclick}, child, 'text', …). */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (key.startsWith('on') && typeof value === 'function') {
      element.addEventListener(key.slice(2), value);
    } else if (key === 'dataset') {
      Object.assign(element.dataset, value);
    } else {
      element.setAttribute(key, value === true ? '' : value);
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

export function field(label, value) {
  return h('div', { class: 'field' }, h('span', { class: 'label' }, label), h('span', { class: 'value' }, value ?? '—'));
}

/** tel: for a phone number; only digits and a leading + go into the link. */
export function telLink(phone, text = phone) {
  if (!phone) {
    return '—';
  }
  return h('a', { class: 'tel', href: `tel:${String(phone).replace(/[^\d+]/g, '')}` }, text);
}

export function errorText(error) {
  return t('errorPrefix') + (error?.message ?? String(error));
}
