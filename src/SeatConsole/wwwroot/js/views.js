// The views beside the queue: the supervisor's (overdue alarms, seats there, the day's figures),
// the call-back list, an elder's vitals history, and the family's view of their own elder.

import { t, entries } from './i18n.js';
import { h, clear, dateTime, time, duration, severityOf, queueOrder, startOfCentreDay, centreDay, telLink, errorText } from './format.js';
import { MapView } from './map.js';
import { vitalsChart } from './charts.js';

const SUPERVISOR_REFRESH_MS = 5000;

/**
 * The supervisor's view. The day's figures are the node's own service-level report
 * (GET /api/reports/service-level from the centre's midnight), never counted in the browser; when the
 * seat stream brings the live figures (event service_level) they take the report's place, the newer
 * of the two winning, so the view works the same whether or not the node sends them.
 */
export class SupervisorView {
  constructor(app, container) {
    this.app = app;
    this.container = container;
    /** scope ('' = every district, else the districts joined) → {day, districts, computedAt, figures, live} */
    this.figures = new Map();
    this.lists = null;
  }

  open() {
    clear(this.container, h('div', { class: 'card-loading' }, t('working')));
    if (this.app.serviceLevel) this.serviceLevel(this.app.serviceLevel, false);
    this.load();
    this.timer = setInterval(() => this.load(), SUPERVISOR_REFRESH_MS);
  }

  close() {
    clearInterval(this.timer);
    this.closed = true;
  }

  changed() {
    this.load();
  }

  /** The stream's live figures: {day, timeZone, districts, computedAt, figures}. */
  serviceLevel(data, render = true) {
    if (this.keep({ day: data.day, districts: data.districts ?? [], computedAt: data.computedAt, figures: data.figures, live: true }) && render && this.lists) {
      this.render();
    }
  }

  /** Keeps figures of today, of their scope, when they are newer than those held; true when kept. */
  keep(entry) {
    if (!entry.figures || entry.day !== centreDay()) {
      return false;
    }
    const scope = [...entry.districts].sort().join('|');
    const held = this.figures.get(scope);
    if (held && held.day === entry.day && new Date(held.computedAt) > new Date(entry.computedAt)) {
      return false;
    }
    this.figures.set(scope, entry);
    return true;
  }

  async load() {
    const api = this.app.api;
    const day = centreDay();
    const from = startOfCentreDay().toISOString();
    try {
      const [open, overdue, seats, report] = await Promise.all([
        api.get('/api/alarms?status=open&limit=1000'),
        api.get('/api/alarms?overdue=true&limit=200'),
        api.get('/api/seats'),
        api.get(`/api/reports/service-level?from=${encodeURIComponent(from)}`),
      ]);
      if (this.closed) {
        return;
      }
      this.keep({ day, districts: [], computedAt: report.to, figures: report.overall, live: false });
      this.lists = { open: open.sort(queueOrder), overdue: overdue.filter(item => item.alarm.status !== 'resolved').sort(queueOrder), seats };
      this.render();
    } catch (error) {
      if (!this.closed) clear(this.container, h('div', { class: 'error' }, errorText(error)));
    }
  }

  render() {
    const { open, overdue, seats } = this.lists;
    const day = centreDay();
    const scopes = [...this.figures.entries()].filter(([, entry]) => entry.day === day)
      .sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b)));
    clear(this.container, h('div', { class: 'supervisor', 'data-testid': 'supervisor' },
      h('h2', {}, t('supervisor')),
      h('section', {}, h('h3', {}, t('todayFigures'), ' ', h('small', { class: 'muted' }, day)),
        scopes.map(([scope, entry]) => figuresBlock(entry, scope === '' ? 'figures' : null)),
        h('div', { class: 'figures-scope muted' }, t('rightNow')),
        h('div', { class: 'figures now' },
          figure(t('openNow'), open.length, 'figure-open', open.length),
          figure(t('overdueAlarms'), overdue.length, 'figure-overdue', overdue.length))),
      h('div', { class: 'columns' },
        h('section', {}, h('h3', {}, t('overdueAlarms')), alarmTable(overdue, 'overdue-alarms')),
        h('section', {}, h('h3', {}, t('seatsOnDuty')),
          h('table', { class: 'table', 'data-testid': 'seats' },
            h('tbody', {}, seats.length ? seats.map(seat => h('tr', {},
              h('td', {}, h('strong', {}, seat.id)),
              h('td', {}, t(`presence.${seat.presence}`)),
              h('td', {}, seat.districts.join('、')))) : h('tr', {}, h('td', {}, t('nobody'))))))),
      h('section', {}, h('h3', {}, t('openAlarms')), alarmTable(open, 'open-alarms'))));
  }
}

/** One figure: the text a person reads, and the value as the API gave it (data-value) for a machine. */
function figure(label, text, id, value) {
  return h('div', { class: 'figure', 'data-testid': id, 'data-value': value === null || value === undefined ? '' : String(value) },
    h('div', { class: 'figure-value' }, text ?? '—'), h('div', { class: 'figure-label' }, label));
}

/** The service-level figures of one scope (every district, or those of the live event). */
function figuresBlock(entry, testId) {
  const f = entry.figures;
  const id = name => (testId ? `figure-${name}` : null);
  const share = s => (s?.share === null || s?.share === undefined ? null : `${Math.round(s.share * 100)}%`);
  const seconds = v => (v === null || v === undefined ? null : t('seconds', Math.round(v)));
  const minutes = v => (v === null || v === undefined ? null : duration(v * 1000));
  const outcomes = Object.entries(f.byOutcome ?? {})
    .map(([key, count]) => `${key === 'open' ? t('notResolved') : t(`outcomeName.${key}`)} ${count}`).join(' · ');
  return h('div', { class: 'figures-block', 'data-testid': testId, 'data-day': entry.day, 'data-live': entry.live ? 'true' : 'false' },
    h('div', { class: 'figures-scope muted' },
      entry.districts.length ? entry.districts.join('、') : t('allDistricts'),
      ` · ${t('figuresAsOf', time(entry.computedAt))} · ${entry.live ? t('figuresLive') : t('figuresReport')}`),
    h('div', { class: 'figures' },
      figure(t('raisedToday'), f.alarms, id('raised'), f.alarms),
      figure(t('unaccepted'), f.unaccepted, id('unaccepted'), f.unaccepted),
      figure(t('within60'), share(f.acceptedWithin60Seconds), id('within60'), f.acceptedWithin60Seconds?.share),
      figure(t('within180'), share(f.acceptedWithin180Seconds), id('within180'), f.acceptedWithin180Seconds?.share),
      figure(t('medianAccept'), seconds(f.timeToAccept?.medianSeconds), id('median'), f.timeToAccept?.medianSeconds),
      figure(t('p90Accept'), seconds(f.timeToAccept?.p90Seconds), id('p90'), f.timeToAccept?.p90Seconds),
      figure(t('medianResolve'), minutes(f.timeToResolve?.medianSeconds), id('resolve-median'), f.timeToResolve?.medianSeconds),
      figure(t('p90Resolve'), minutes(f.timeToResolve?.p90Seconds), id('resolve-p90'), f.timeToResolve?.p90Seconds)),
    outcomes ? h('div', { class: 'figures-outcomes muted' }, `${t('outcome')}: ${outcomes}`) : null);
}

function alarmTable(items, id) {
  return h('table', { class: 'table', 'data-testid': id },
    h('tbody', {}, items.length ? items.map(({ alarm, elderName }) => {
      const severity = severityOf(alarm);
      return h('tr', { class: `severity-${severity}${alarm.overdue ? ' overdue' : ''}` },
        h('td', {}, h('span', { class: `badge severity-${severity}` }, t(`severity.${severity}`))),
        h('td', {}, h('a', { href: `#/alarm/${alarm.id}` }, elderName)),
        h('td', {}, t(`kind.${alarm.kind}`)),
        h('td', {}, t(`status.${alarm.status}`), alarm.acceptedBy ? ` · ${alarm.acceptedBy}` : ''),
        h('td', { class: 'age', 'data-raised': alarm.raisedAt }, duration(Date.now() - new Date(alarm.raisedAt))),
        h('td', {}, alarm.district));
    }) : h('tr', {}, h('td', {}, t('nobody')))));
}

const ranges = { '24h': { hours: 24, interval: '1h' }, '7d': { hours: 24 * 7, interval: '6h' }, '30d': { hours: 24 * 30, interval: '1d' } };
const metrics = ['hr', 'spo2', 'sbp', 'dbp', 'steps'];

export class HistoryView {
  constructor(app, container, elderId) {
    this.app = app;
    this.container = container;
    this.elderId = elderId;
    this.range = '24h';
  }

  open() {
    this.load();
  }

  async load() {
    const api = this.app.api;
    const { hours, interval } = ranges[this.range];
    const to = new Date();
    const from = new Date(to.getTime() - hours * 3600 * 1000);
    const query = `interval=${interval}&from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`;
    try {
      const [elder, ...series] = await Promise.all([
        api.get(`/api/elders/${this.elderId}`),
        ...metrics.map(metric => api.get(`/api/elders/${this.elderId}/vitals?metric=${metric}&${query}`).catch(() => [])),
      ]);
      const buttons = Object.keys(ranges).map(key => h('button', {
        type: 'button', class: key === this.range ? 'primary' : '', onclick: () => { this.range = key; this.load(); },
      }, t({ '24h': 'hours24', '7d': 'days7', '30d': 'days30' }[key])));
      clear(this.container, h('div', { class: 'history', 'data-testid': 'history' },
        h('h2', {}, `${t('history')} · ${elder.name}`),
        h('div', { class: 'buttons' }, t('range'), ' ', buttons),
        h('div', { class: 'charts' }, metrics.map((metric, i) => vitalsChart(series[i], { metric, from, to })))));
    } catch (error) {
      clear(this.container, h('div', { class: 'error' }, errorText(error)));
    }
  }
}

/**
 * A family member's view of their own elder (GET /api/family/elder): the open alarm, and the last
 * position and heart rate only where the elder consented. What consent withholds, the API leaves
 * out; the console says so rather than guessing.
 */
export class FamilyView {
  constructor(app, container) {
    this.app = app;
    this.container = container;
  }

  open() {
    this.load();
    this.timer = setInterval(() => this.load(), SUPERVISOR_REFRESH_MS);
  }

  close() {
    clearInterval(this.timer);
    this.closed = true;
  }

  async load() {
    try {
      const view = await this.app.api.get('/api/family/elder');
      if (!this.closed) this.render(view);
    } catch (error) {
      if (!this.closed) clear(this.container, h('div', { class: 'error' }, errorText(error)));
    }
  }

  render(view) {
    const withheld = () => h('span', { class: 'muted', 'data-testid': 'withheld' }, t('noConsent'));
    const alarm = view.openAlarm;
    const mapBox = h('div', { class: 'map-box' });
    clear(this.container, h('div', { class: 'family', 'data-testid': 'family' },
      h('h2', {}, `${t('family')} · ${view.name}`),
      h('section', { 'data-testid': 'family-alarm' }, h('h3', {}, t('openAlarms')),
        alarm
          ? h('div', { class: `family-alarm severity-${severityOf(alarm)}` },
            h('strong', {}, t(`kind.${alarm.kind}`)), ` · ${t(`status.${alarm.status}`)} · ${t('raisedAt')} ${dateTime(alarm.raisedAt)}`,
            alarm.acceptedAt ? ` · ${t('change.accepted')} ${dateTime(alarm.acceptedAt)}` : '')
          : h('p', { class: 'muted' }, t('nobody'))),
      h('section', {}, h('h3', {}, t('heartRate')),
        h('div', { 'data-testid': 'family-heart-rate' }, view.healthShared ? (view.heartRate ?? '—') : withheld())),
      h('section', {}, h('h3', {}, t('lastPosition')),
        view.locationShared
          ? [view.lastPosition ? h('p', {}, dateTime(view.lastPosition.at)) : h('p', { class: 'muted' }, t('noPosition')), mapBox]
          : h('div', { 'data-testid': 'family-position' }, withheld()))));
    if (view.locationShared && view.lastPosition) {
      new MapView(mapBox, this.app.config).update({ position: { ...view.lastPosition.position, at: view.lastPosition.at } });
    }
  }
}

const CALLBACKS_REFRESH_MS = 10000;

/**
 * The call-back list (回访): the call-backs still to make (GET /api/callbacks?status=pending), due
 * first, overdue flagged; a seat sees those of its districts. Recording what the call found
 * (POST /api/callbacks/{id}/result) takes the call-back off the list.
 */
export class CallbacksView {
  constructor(app, container) {
    this.app = app;
    this.container = container;
    /** task id → {result, notes}: what the seat chose or typed survives every refresh. */
    this.drafts = new Map();
    this.errors = new Map();
  }

  open() {
    clear(this.container, h('div', { class: 'card-loading' }, t('working')));
    this.load();
    this.timer = setInterval(() => this.load(), CALLBACKS_REFRESH_MS);
  }

  close() {
    clearInterval(this.timer);
    this.closed = true;
  }

  /** A resolution may have scheduled a call-back: read the list again. */
  changed(change) {
    if (change === 'resolved') this.load();
  }

  async load() {
    try {
      const tasks = await this.app.api.get('/api/callbacks?status=pending&limit=200');
      if (!this.closed) this.render(tasks);
    } catch (error) {
      if (!this.closed) clear(this.container, h('div', { class: 'error' }, errorText(error)));
    }
  }

  render(tasks) {
    // What the seat was typing in keeps the focus across a refresh.
    const active = document.activeElement;
    const focused = active?.name && active.closest?.('[data-testid=callback]')
      ? { id: active.closest('[data-testid=callback]').dataset.callbackId, name: active.name }
      : null;
    const overdue = tasks.filter(task => task.overdue).length;
    clear(this.container, h('div', { class: 'callbacks', 'data-testid': 'callbacks' },
      h('h2', {}, t('callbacks'), ' ', h('small', { class: 'muted' }, t('callbacksCount', tasks.length, overdue))),
      h('p', { class: 'muted' }, t('callbacksHint')),
      h('table', { class: 'table callback-table' },
        h('thead', {}, h('tr', {},
          h('th', {}, ''), h('th', {}, t('elder')), h('th', {}, t('phone')), h('th', {}, t('district')),
          h('th', {}, t('dueAt')), h('th', {}, t('resolvedAt')), h('th', {}, t('callbackResultLabel')), h('th', {}, t('notes')), h('th', {}, ''))),
        h('tbody', {}, tasks.length ? tasks.map(task => this.row(task)) : h('tr', {}, h('td', { colspan: 9 }, t('noCallbacks')))))));
    if (focused) {
      this.container.querySelector(`[data-callback-id='${focused.id}'] [name=${focused.name}]`)?.focus();
    }
  }

  row(task) {
    const draft = this.drafts.get(task.id) ?? { result: 'reached_well', notes: '' };
    this.drafts.set(task.id, draft);
    const select = h('select', { name: 'result', 'data-testid': 'callback-result', onchange: event => { draft.result = event.target.value; } },
      entries('callbackResult').map(([key, text]) => h('option', { value: key, selected: key === draft.result }, text)));
    const notes = h('input', { name: 'notes', maxlength: 4000, 'data-testid': 'callback-notes', placeholder: t('notes'), oninput: event => { draft.notes = event.target.value; } });
    notes.value = draft.notes;
    const error = this.errors.get(task.id);
    return h('tr', { class: task.overdue ? 'overdue' : '', 'data-testid': 'callback', 'data-callback-id': task.id, 'data-alarm-id': task.alarmId, 'data-overdue': task.overdue ? 'true' : 'false' },
      h('td', {}, task.overdue ? h('span', { class: 'badge overdue' }, t('callbackOverdue')) : h('span', { class: 'badge due' }, t('callbackDue'))),
      h('td', { class: 'nowrap' }, h('strong', {}, task.elderName ?? '—')),
      h('td', {}, telLink(task.elderPhone)),
      h('td', {}, task.district),
      h('td', { class: 'nowrap' }, dateTime(task.dueAt)),
      h('td', { class: 'nowrap' }, dateTime(task.createdAt)),
      h('td', {}, select),
      h('td', {}, notes, error ? h('div', { class: 'error' }, error) : null),
      h('td', { class: 'nowrap' }, h('button', { type: 'button', class: 'primary', 'data-testid': 'record-callback', onclick: () => this.record(task, draft) }, t('recordResult'))));
  }

  async record(task, draft) {
    this.errors.delete(task.id);
    try {
      await this.app.api.post(`/api/callbacks/${task.id}/result`, { result: draft.result, notes: draft.notes.trim() || null });
      this.drafts.delete(task.id);
    } catch (error) {
      // 409: someone recorded it meanwhile; it leaves the list on this read anyway.
      this.errors.set(task.id, errorText(error));
    }
    await this.load();
  }
}
