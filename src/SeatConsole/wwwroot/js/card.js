// The pop-up card of one alarm: who the elder is, their health, the contacts in the order to call
// them with what each was sent, the incident's events and timeline, what was wrong with the
// device's report, the nearest responders, the map and the heart rate. It refreshes while open.

import { t, entries } from './i18n.js';
import { h, clear, field, telLink, dateTime, time, duration, severityOf, errorText } from './format.js';
import { MapView } from './map.js';
import { vitalsChart } from './charts.js';

const REFRESH_MS = 4000;

/** The longest note the API takes (AlarmNotes.MaxLength). */
const NOTE_MAX = 2000;

export class AlarmCard {
  constructor(app, alarmId, container) {
    this.app = app;
    this.alarmId = alarmId;
    this.container = container;
    this.closed = false;
    this.detail = null;
    this.notesDraft = '';
    this.noteDraft = '';
    this.notices = 0;
  }

  async open() {
    clear(this.container, h('div', { class: 'card-loading' }, t('working')));
    await this.load();
    this.timer = setInterval(() => this.load(), REFRESH_MS);
  }

  close() {
    this.closed = true;
    clearInterval(this.timer);
  }

  /**
   * A notice from the seat stream about this alarm: load now rather than at the next refresh. The
   * card keeps count of them (and the last kind) on its element, so that one can see it was told.
   */
  changed(change) {
    if (this.closed) {
      return;
    }
    this.notices += 1;
    this.container.dataset.notices = String(this.notices);
    if (change) this.container.dataset.lastNotice = change;
    this.load();
  }

  async load() {
    if (this.loading) {
      this.loadAgain = true; // a change arrived meanwhile: read once more when this read ends
      return;
    }
    this.loading = true;
    const api = this.app.api;
    try {
      const detail = await api.get(`/api/alarms/${this.alarmId}`);
      const elderId = detail.alarm.elderId;
      const since = new Date(Date.now() - 2 * 3600 * 1000).toISOString();
      const eventsFrom = new Date(new Date(detail.alarm.raisedAt).getTime() - 3600 * 1000).toISOString();
      const [notifications, geofences, track, events, heart] = await Promise.all([
        api.get(`/api/notifications?alarmId=${this.alarmId}`).catch(() => []),
        api.get(`/api/elders/${elderId}/geofences`).catch(() => null),
        api.get(`/api/elders/${elderId}/positions?from=${encodeURIComponent(since)}&maxPoints=200`).catch(() => []),
        api.get(`/api/elders/${elderId}/events?from=${encodeURIComponent(eventsFrom)}`).catch(() => []),
        this.heartRate(elderId),
      ]);
      if (this.closed) {
        return;
      }
      this.detail = detail;
      this.render({ detail, notifications, geofences, track, events, heart });
      this.error = null;
    } catch (error) {
      if (!this.closed && !this.detail) {
        clear(this.container, h('div', { class: 'error' }, errorText(error)));
      }
    } finally {
      this.loading = false;
      if (this.loadAgain && !this.closed) {
        this.loadAgain = false;
        this.load();
      }
    }
  }

  async heartRate(elderId) {
    // Heart rate is read less often than the rest: it changes by the minute, not by the second.
    if (this.heart && Date.now() - this.heart.loadedAt < 60000) {
      return this.heart;
    }
    const to = new Date();
    const from = new Date(to.getTime() - 24 * 3600 * 1000);
    const buckets = await this.app.api.get(`/api/elders/${elderId}/vitals?metric=hr&interval=1h&from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`).catch(() => []);
    // An empty answer is not kept: readings reach the history store a moment after they arrive.
    this.heart = { buckets, from, to, loadedAt: buckets.some(b => b.count > 0) ? Date.now() : 0 };
    return this.heart;
  }

  render({ detail, notifications, geofences, track, events, heart }) {
    const { alarm, timeline, elder } = detail;
    const profile = elder.profile;
    const mine = alarm.acceptedBy && alarm.acceptedBy === this.app.seatId;
    const severity = severityOf(alarm);

    // Keep what the seat is typing across refreshes.
    const notes = this.container.querySelector('textarea[name=notes]');
    if (notes) this.notesDraft = notes.value;
    const note = this.container.querySelector('textarea[name=note]');
    if (note) this.noteDraft = note.value;
    const outcomeSelect = this.container.querySelector('select[name=outcome]');
    const outcome = outcomeSelect?.value;
    const focused = document.activeElement?.name;

    const header = h('header', { class: `card-header severity-${severity}` },
      h('div', { class: 'card-title' },
        h('span', { class: `badge severity-${severity}` }, t(`severity.${severity}`)),
        h('h2', { 'data-testid': 'card-elder-name' }, profile.name),
        h('span', { class: 'kind' }, t(`kind.${alarm.kind}`)),
        alarm.overdue ? h('span', { class: 'badge overdue' }, t('overdue')) : null,
        h('span', { class: `badge status-${alarm.status}`, 'data-testid': 'card-status' }, t(`status.${alarm.status}`))),
      h('div', { class: 'card-meta' },
        `${t('raisedAt')} ${dateTime(alarm.raisedAt)}`,
        alarm.status === 'open' ? h('span', { class: 'age', 'data-raised': alarm.raisedAt }, ` · ${t('age')} ${duration(Date.now() - new Date(alarm.raisedAt))}`) : null,
        alarm.acceptedBy ? ` · ${t('takenBy', alarm.acceptedBy)}` : null),
      h('button', { type: 'button', class: 'close', title: `${t('close')} (Esc)`, onclick: () => this.app.closeCard() }, '×'));

    const actions = h('section', { class: 'actions' });
    if (alarm.status === 'open') {
      actions.append(h('button', { type: 'button', class: 'primary', 'data-testid': 'accept', onclick: () => this.accept() }, `${t('accept')} (A)`));
    } else if (alarm.status === 'accepted' && mine) {
      const select = h('select', { name: 'outcome', 'data-testid': 'outcome' },
        entries('outcomeName').map(([key, text]) => h('option', { value: key, selected: key === outcome }, text)));
      const area = h('textarea', { name: 'notes', rows: 2, maxlength: 4000, placeholder: t('closingNotes'), 'data-testid': 'notes' });
      area.value = this.notesDraft;
      actions.append(
        h('label', {}, t('outcome'), ' ', select),
        area,
        h('button', { type: 'button', class: 'primary', 'data-testid': 'resolve', onclick: () => this.resolve() }, t('resolve')));
    } else if (alarm.status === 'resolved') {
      actions.append(h('div', {}, `${t('outcome')}: ${t(`outcomeName.${alarm.outcome}`)}`, alarm.notes ? ` — ${alarm.notes}` : ''));
    }
    if (this.actionError) {
      actions.append(h('div', { class: 'error', 'data-testid': 'action-error' }, this.actionError));
    }

    // Notes while the alarm is not closed: whoever sees it may write what they did or learnt; each
    // note goes on the timeline at once, and to every screen that has the alarm open.
    let notesSection = null;
    if (alarm.status !== 'resolved') {
      const noteArea = h('textarea', { name: 'note', rows: 2, maxlength: NOTE_MAX, placeholder: `${t('notePlaceholder')} (N)`, 'data-testid': 'note-text' });
      noteArea.value = this.noteDraft;
      noteArea.addEventListener('keydown', event => {
        if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
          event.preventDefault();
          this.addNote();
        }
      });
      notesSection = h('section', { class: 'notes-box' }, h('h3', {}, t('notes')),
        noteArea,
        h('div', { class: 'buttons' },
          h('button', { type: 'button', 'data-testid': 'add-note', onclick: () => this.addNote() }, t('addNote')),
          h('small', { class: 'muted' }, 'Ctrl+Enter')),
        this.noteError ? h('div', { class: 'error', 'data-testid': 'note-error' }, this.noteError) : null);
    }

    const flags = [];
    for (const anomaly of alarm.anomalies ?? []) {
      flags.push(h('li', { class: 'flag', 'data-kind': anomaly.kind }, t(`anomaly.${anomaly.kind}`), anomaly.detail ? h('small', {}, ` ${anomaly.detail}`) : null));
    }
    if (alarm.cancelRequested) {
      flags.push(h('li', { class: 'flag' }, t('change.cancel_requested')));
    }

    const profileSection = h('section', { class: 'profile', 'data-testid': 'profile' },
      h('h3', {}, t('profile')),
      field(t('address'), profile.address),
      field(t('district'), profile.district),
      field(t('phone'), telLink(profile.phone)),
      field(t('careLevel'), profile.careLevel ? t(`care.${profile.careLevel}`) : null),
      field('', [profile.sex ? t(`sex.${profile.sex}`) : null, elder.age != null ? t('years', elder.age) : null].filter(Boolean).join(' · ')),
      field(t('conditions'), profile.conditions?.length ? profile.conditions.join('、') : '—'),
      field(t('medications'), profile.medications?.length ? profile.medications.join('、') : '—'));

    const contacts = h('section', { class: 'contacts' }, h('h3', {}, t('contacts')),
      h('ol', { 'data-testid': 'contacts' }, (profile.contacts ?? []).map(contact => {
        const sent = notifications.filter(n => n.recipient === contact.phone);
        const latest = new Map();
        for (const n of sent) latest.set(n.channel, n);
        return h('li', { class: 'contact' },
          h('span', { class: 'contact-name' }, contact.name), ' ',
          h('span', { class: 'relation' }, contact.relation), ' ',
          telLink(contact.phone),
          h('span', { class: 'notification-status', 'data-testid': 'notification-status' },
            latest.size === 0
              ? h('span', { class: 'status-chip none' }, t('notification.none'))
              : [...latest.values()].map(n => h('span', { class: `status-chip ${n.status}`, title: n.lastError ?? '' }, `${n.channel} ${t(`notification.${n.status}`)}`))));
      })));

    const devices = h('section', { class: 'devices' }, h('h3', {}, t('devices')),
      h('ul', {}, elder.devices.map(d => h('li', {},
        h('code', {}, d.id), ` ${d.kind}`,
        d.battery != null ? ` · ${t('battery')} ${d.battery}%` : '',
        d.heartRate != null ? ` · ${t('heartRate')} ${d.heartRate}` : '',
        ` · ${t('lastSeen')} ${time(d.lastSeenAt)}`))));

    const responders = h('section', { class: 'responders', 'data-testid': 'responders' }, h('h3', {}, t('responders')),
      detail.nearestResponders?.length
        ? h('ol', {}, detail.nearestResponders.map(r => h('li', {},
          h('span', {}, r.name), ` ${t(`responderKind.${r.kind}`)} · ${formatDistance(r.distanceMetres)} `, telLink(r.phone))))
        : h('p', { class: 'muted' }, t('noResponders')));

    const incidentEvents = events.filter(e => e.alarmId === alarm.id);
    const eventsSection = h('section', { class: 'events' }, h('h3', {}, t('events')),
      h('ul', {}, incidentEvents.map(e => h('li', {}, `${time(e.at)} ${t(`kind.${e.type}`)} `, h('code', {}, e.deviceId)))));

    const timelineSection = h('section', { class: 'timeline' }, h('h3', {}, t('timeline')),
      h('ol', { 'data-testid': 'timeline' }, timeline.map(entry => h('li', { 'data-type': entry.type, class: entry.type === 'note_added' ? 'note' : null },
        h('time', {}, time(entry.at)), ' ',
        h('strong', {}, entry.title ?? entry.type), ' ',
        h('span', { class: 'actor' }, entry.actor),
        entry.detail ? h('div', { class: 'detail' }, entry.detail) : null))));

    const mapBox = h('div', { class: 'map-box' });
    const position = elder.lastKnownPosition;
    const mapSection = h('section', { class: 'map-section' },
      h('h3', {}, t('map'), position ? h('small', {}, ` ${time(position.at)} · ${position.position.accuracy ? t('accuracy', Math.round(position.position.accuracy)) : ''}`) : null),
      mapBox);

    const chartSection = h('section', { class: 'vitals' },
      h('h3', {}, t('vitals'), ' ', h('a', { href: `#/history/${alarm.elderId}` }, t('history'))),
      vitalsChart(heart.buckets, { metric: 'hr', from: heart.from, to: heart.to, width: 460, height: 150 }));

    clear(this.container,
      header,
      h('div', { class: 'card-body' },
        h('div', { class: 'card-column' }, actions, notesSection, flags.length ? h('section', { class: 'flags' }, h('h3', {}, t('flags')), h('ul', { 'data-testid': 'flags' }, flags)) : null,
          profileSection, contacts, responders, devices),
        h('div', { class: 'card-column' }, mapSection, chartSection, eventsSection, timelineSection)));

    this.map = new MapView(mapBox, this.app.config);
    this.map.update({
      position: position ? { ...position.position, at: position.at } : null,
      home: profile.location,
      track: track ?? [],
      geofences,
      responders: detail.nearestResponders ?? [],
    });

    if (focused) {
      this.container.querySelector(`[name=${focused}]`)?.focus();
    }
  }

  async accept() {
    await this.act(() => this.app.api.post(`/api/alarms/${this.alarmId}/accept`, { seatId: this.app.seatId }));
  }

  async resolve() {
    const outcome = this.container.querySelector('select[name=outcome]')?.value;
    const notes = this.container.querySelector('textarea[name=notes]')?.value || null;
    await this.act(() => this.app.api.post(`/api/alarms/${this.alarmId}/resolve`, { seatId: this.app.seatId, outcome, notes }));
    this.notesDraft = '';
  }

  async act(call) {
    this.actionError = null;
    try {
      const alarm = await call();
      this.app.alarmChanged(alarm);
    } catch (error) {
      this.actionError = errorText(error);
    }
    await this.load();
  }

  /** Writes the note box's text on the alarm (POST /api/alarms/{id}/notes); the box empties once it is stored. */
  async addNote() {
    const area = this.container.querySelector('textarea[name=note]');
    const text = area?.value.trim() ?? '';
    if (!text || this.addingNote) {
      return;
    }
    this.addingNote = true;
    this.noteError = null;
    try {
      await this.app.api.post(`/api/alarms/${this.alarmId}/notes`, { text });
      this.noteDraft = '';
      // The card may have been drawn again meanwhile: empty the box that is there now.
      const current = this.container.querySelector('textarea[name=note]');
      if (current) current.value = '';
    } catch (error) {
      this.noteError = errorText(error);
    } finally {
      this.addingNote = false;
    }
    await this.load();
  }

  /** N: the note box (any time before the alarm is closed). */
  focusNotes() {
    this.container.querySelector('textarea[name=note]')?.focus();
  }
}

function formatDistance(metres) {
  return metres >= 1000 ? `${(metres / 1000).toFixed(1)} km` : `${Math.round(metres)} m`;
}
