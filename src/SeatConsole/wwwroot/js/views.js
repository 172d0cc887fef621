// The views beside the queue: the supervisor's (overdue alarms, seats there, the day's figures),
// an elder's vitals history, and the family's view of their own elder.

import { t } from './i18n.js';
import { h, clear, dateTime, duration, severityOf, queueOrder, startOfCentreDay, errorText } from './format.js';
import { MapView } from './map.js';
import { vitalsChart } from './charts.js';

const SUPERVISOR_REFRESH_MS = 5000;

export class SupervisorView {
  constructor(app, container) {
    this.app = app;
    this.container = container;
  }

  open() {
    clear(this.container, h('div', { class: 'card-loading' }, t('working')));
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

  async load() {
    const api = this.app.api;
    try {
      const [recent, overdue, seats] = await Promise.all([
        api.get('/api/alarms?limit=1000'),
        api.get('/api/alarms?overdue=true&limit=200'),
        api.get('/api/seats'),
      ]);
      if (!this.closed) {
        this.render(recent, overdue.filter(item => item.alarm.status !== 'resolved'), seats);
      }
    } catch (error) {
      if (!this.closed) clear(this.container, h('div', { class: 'error' }, errorText(error)));
    }
  }

  render(recent, overdue, seats) {
    const since = startOfCentreDay();
    const today = recent.filter(item => new Date(item.alarm.raisedAt) >= since);
    const accepted = today.filter(item => item.alarm.acceptedAt);
    const waits = accepted.map(item => (new Date(item.alarm.acceptedAt) - new Date(item.alarm.raisedAt)) / 1000).sort((a, b) => a - b);
    const quantile = q => (waits.length ? waits[Math.min(waits.length - 1, Math.floor(q * waits.length))] : null);
    // Of the alarms whose first minute is over: one raised seconds ago has not yet had its chance.
    const judged = today.filter(item => item.alarm.acceptedAt || Date.now() - new Date(item.alarm.raisedAt) > 60000);
    const within60 = judged.length ? Math.round((100 * waits.filter(w => w <= 60).length) / judged.length) : null;
    const open = recent.filter(item => item.alarm.status === 'open').sort(queueOrder);
    const figure = (label, value, id) => h('div', { class: 'figure', 'data-testid': id }, h('div', { class: 'figure-value' }, value ?? '—'), h('div', { class: 'figure-label' }, label));

    clear(this.container, h('div', { class: 'supervisor', 'data-testid': 'supervisor' },
      h('h2', {}, t('supervisor')),
      h('section', {}, h('h3', {}, t('todayFigures')),
        h('div', { class: 'figures' },
          figure(t('raisedToday'), today.length, 'figure-raised'),
          figure(t('acceptedToday'), accepted.length, 'figure-accepted'),
          figure(t('resolvedToday'), today.filter(item => item.alarm.status === 'resolved').length, 'figure-resolved'),
          figure(t('openNow'), open.length, 'figure-open'),
          figure(t('overdueAlarms'), overdue.length, 'figure-overdue'),
          figure(t('medianAccept'), quantile(0.5) === null ? null : t('seconds', Math.round(quantile(0.5))), 'figure-median'),
          figure(t('p90Accept'), quantile(0.9) === null ? null : t('seconds', Math.round(quantile(0.9))), 'figure-p90'),
          figure(t('within60'), within60 === null ? null : `${within60}%`, 'figure-within60'))),
      h('div', { class: 'columns' },
        h('section', {}, h('h3', {}, t('overdueAlarms')), alarmTable(overdue.sort(queueOrder), 'overdue-alarms')),
        h('section', {}, h('h3', {}, t('seatsOnDuty')),
          h('table', { class: 'table', 'data-testid': 'seats' },
            h('tbody', {}, seats.length ? seats.map(seat => h('tr', {},
              h('td', {}, h('strong', {}, seat.id)),
              h('td', {}, t(`presence.${seat.presence}`)),
              h('td', {}, seat.districts.join('、')))) : h('tr', {}, h('td', {}, t('nobody'))))))),
      h('section', {}, h('h3', {}, t('openAlarms')), alarmTable(open, 'open-alarms'))));
  }
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
