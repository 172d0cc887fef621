// The console's shell: sign-in, duty, the live queue fed by the seat stream, the card, the views,
// keyboard shortcuts and the alert sound.

import { Api } from './api.js';
import { t, currentLanguage, setLanguage } from './i18n.js';
import { h, clear, setTimeZone, dateTime, duration, severityOf, queueOrder, errorText } from './format.js';
import { AlarmCard } from './card.js';
import { SupervisorView, HistoryView, FamilyView, CallbacksView } from './views.js';

/** How long an alarm another seat took stays in the queue, greyed, so the seat sees where it went. */
const TAKEN_VISIBLE_MS = 60000;

class ConsoleApp {
  constructor() {
    this.api = new Api();
    this.config = {};
    /** alarm id → {alarm, elderName, change, takenAt?} */
    this.alarms = new Map();
    this.outages = new Map(); // mass outages of this seat's districts, by outage id
    this.selected = 0;
    this.card = null;
    this.view = null;
    this.streamState = 'reconnecting';
    this.root = document.getElementById('app');
  }

  get seatId() {
    return this.api.session?.seatId ?? null;
  }

  get role() {
    return this.api.session?.role ?? 'seat';
  }

  async start() {
    this.config = await fetch('/console/config.json').then(r => r.json()).catch(() => ({}));
    document.title = t('title');
    // Browsers let a page make sound only after the person touched it.
    document.addEventListener('pointerdown', () => this.unlockAudio(), { once: true });
    document.addEventListener('keydown', () => this.unlockAudio(), { once: true });
    if (!this.api.session) {
      await this.renderSignIn();
      return;
    }
    await this.begin();
  }

  async begin() {
    try {
      await this.api.refreshSession();
    } catch {
      this.api.signOut();
      await this.renderSignIn();
      return;
    }
    // The centre's clock: every time on the screen is read in its zone, whatever the computer's.
    const centre = await this.api.get('/api/centre').catch(() => null);
    setTimeZone(centre?.timeZone);
    this.renderShell();
    window.addEventListener('hashchange', () => this.route());
    document.addEventListener('keydown', event => this.key(event));
    setInterval(() => this.tick(), 1000);
    if (this.seatId && this.role !== 'family') {
      await this.loadMine();
      this.listen();
    }
    this.route();
  }

  async renderSignIn() {
    const open = !(await this.api.detectAuth());
    const error = h('div', { class: 'error', 'data-testid': 'signin-error' });
    const form = h('form', { class: 'signin', 'data-testid': 'signin' },
      h('h1', {}, t('title')),
      open ? h('p', { class: 'muted' }, t('openModeHint')) : null,
      h('label', {}, open ? t('seatId') : t('userName'), h('input', { name: 'user', required: true, autocomplete: 'username', autofocus: true })),
      open ? null : h('label', {}, t('password'), h('input', { name: 'password', type: 'password', required: true, autocomplete: 'current-password' })),
      open ? h('label', {}, t('role'), h('select', { name: 'role' },
        h('option', { value: 'seat' }, 'seat'), h('option', { value: 'supervisor' }, 'supervisor'))) : null,
      h('button', { type: 'submit', class: 'primary' }, t('signIn')),
      error,
      h('p', { class: 'links' }, this.languageButton(), ' · ', h('a', { href: '/api/reference', target: '_blank' }, t('apiReference'))));
    form.addEventListener('submit', async event => {
      event.preventDefault();
      const data = new FormData(form);
      try {
        this.unlockAudio();
        await this.api.signIn(String(data.get('user')).trim(), String(data.get('password') ?? ''), data.get('role'));
        history.replaceState(null, '', this.api.session.role === 'supervisor' ? '#/supervisor' : this.api.session.role === 'family' ? '#/family' : '#/queue');
        await this.begin();
      } catch (failure) {
        error.textContent = errorText(failure);
      }
    });
    clear(this.root, form);
  }

  languageButton() {
    return h('button', { type: 'button', class: 'link', 'data-testid': 'language', onclick: () => {
      setLanguage(currentLanguage() === 'zh-CN' ? 'en' : 'zh-CN');
      location.reload();
    } }, t('language'));
  }

  renderShell() {
    const session = this.api.session;
    const staff = session.role !== 'family';
    this.dutyBox = h('div', { class: 'duty' });
    this.streamBadge = h('span', { class: 'stream-state', 'data-testid': 'stream-state' });
    this.queueList = h('ol', { class: 'queue', 'data-testid': 'queue' });
    this.outageList = h('ul', { class: 'outages', 'data-testid': 'outages' });
    this.mineList = h('ol', { class: 'queue mine', 'data-testid': 'mine' });
    this.main = h('main', { class: 'main' });
    this.helpBox = h('div', { class: 'help hidden', 'data-testid': 'help' },
      h('h3', {}, t('shortcuts')),
      h('dl', {},
        h('dt', {}, 'A'), h('dd', {}, t('shortcutTake')),
        h('dt', {}, '↑ ↓ / J K'), h('dd', {}, t('shortcutMove')),
        h('dt', {}, 'Enter'), h('dd', {}, t('shortcutOpen')),
        h('dt', {}, 'N'), h('dd', {}, t('shortcutNotes')),
        h('dt', {}, 'Esc'), h('dd', {}, t('shortcutClose')),
        h('dt', {}, '?'), h('dd', {}, t('shortcutHelp'))));
    const nav = h('nav', {},
      staff ? h('a', { href: '#/queue' }, t('queue')) : h('a', { href: '#/family' }, t('family')),
      staff ? h('a', { href: '#/callbacks', 'data-testid': 'nav-callbacks' }, t('callbacks')) : null,
      ['supervisor', 'admin'].includes(session.role) ? h('a', { href: '#/supervisor', 'data-testid': 'nav-supervisor' }, t('supervisor')) : null,
      h('a', { href: '/api/reference', target: '_blank', 'data-testid': 'api-reference' }, t('apiReference')),
      this.languageButton(),
      h('button', { type: 'button', class: 'link', onclick: () => this.toggleHelp() }, '?'),
      h('span', { class: 'user', 'data-testid': 'user' }, t('signedInAs', session.userName, session.role)),
      h('button', { type: 'button', class: 'link', 'data-testid': 'signout', onclick: () => { this.api.signOut(); location.hash = ''; location.reload(); } }, t('signOut')));
    clear(this.root,
      h('header', { class: 'top' }, h('h1', {}, t('title')), nav),
      h('div', { class: 'layout' },
        staff && this.seatId ? h('aside', { class: 'side' },
          this.dutyBox,
          h('h2', {}, t('myAlarms')), this.mineList,
          h('h2', {}, t('queue'), ' ', this.streamBadge), this.outageList, this.queueList) : null,
        this.main),
      this.helpBox);
    if (staff && this.seatId) {
      this.renderDuty();
    }
  }

  /** The duty form, built once (what the seat types survives every refresh of the state line). */
  renderDuty() {
    const area = h('textarea', { name: 'districts', rows: 2, 'data-testid': 'districts' });
    area.value = localStorage.getItem(`elderiot.districts.${this.seatId}`) ?? (this.api.session.districts ?? []).join('\n');
    this.dutyError = h('div', { class: 'error' });
    this.dutyState = h('div', { class: 'duty-state', 'data-testid': 'duty-state' });
    const seatUrl = `/api/seats/${encodeURIComponent(this.seatId)}`;
    const act = async call => {
      this.dutyError.textContent = '';
      try {
        this.showDuty(await call());
      } catch (failure) {
        this.dutyError.textContent = errorText(failure);
      }
    };
    const on = h('button', { type: 'button', class: 'primary', 'data-testid': 'go-on-duty', onclick: () => act(() => {
      const districts = area.value.split('\n').map(s => s.trim()).filter(Boolean);
      localStorage.setItem(`elderiot.districts.${this.seatId}`, districts.join('\n'));
      return this.api.post(`${seatUrl}/online`, { districts });
    }) }, t('onDuty'));
    this.offButton = h('button', { type: 'button', 'data-testid': 'go-off-duty', onclick: () => act(() => this.api.post(`${seatUrl}/offline`, {})) }, t('offDuty'));
    this.districtsArea = area;
    clear(this.dutyBox, this.dutyState, h('label', {}, t('districts'), area), h('div', { class: 'buttons' }, on, this.offButton), this.dutyError);
    this.updateDuty();
  }

  async updateDuty() {
    try {
      this.showDuty(await this.api.get(`/api/seats/${encodeURIComponent(this.seatId)}`));
    } catch (error) {
      this.dutyError.textContent = errorText(error);
    }
  }

  showDuty(status) {
    clear(this.dutyState, h('strong', {}, this.seatId), ' ', status.online ? t('dutyOn') : t('dutyOff'),
      status.online ? ` · ${t(`presence.${status.presence}`)}` : '');
    this.dutyState.className = `duty-state ${status.online ? 'on' : 'off'}`;
    this.offButton.classList.toggle('hidden', !status.online);
    if (status.online && status.districts?.length && !this.districtsArea.value) {
      this.districtsArea.value = status.districts.join('\n');
    }
  }

  /** Alarms this seat took before a reload: they are no longer offered, but still this seat's to close. */
  async loadMine() {
    try {
      const accepted = await this.api.get('/api/alarms?status=accepted&limit=200');
      for (const item of accepted) {
        if (item.alarm.acceptedBy === this.seatId) {
          this.alarms.set(item.alarm.id, { alarm: item.alarm, elderName: item.elderName, change: 'accepted' });
        }
      }
    } catch (error) {
      console.warn(error);
    }
  }

  listen() {
    this.streamAbort = new AbortController();
    this.api.listen(this.seatId, (change, notice) => this.notice(change, notice), state => {
      this.streamState = state;
      this.renderQueue();
      if (state === 'connected' && this.dutyState) this.updateDuty();
    }, this.streamAbort.signal);
  }

  notice(change, notice) {
    // The day's figures (when the node sends them) are no alarm: they go to whoever shows figures.
    if (change === 'service_level') {
      this.serviceLevel = notice;
      this.view?.serviceLevel?.(notice);
      return;
    }
    // A mass outage: many devices silent at once stand behind one banner, so the seat knows why.
    if (change === 'outage') {
      if (notice.change === 'cleared') this.outages.delete(notice.outageId);
      else this.outages.set(notice.outageId, notice);
      this.renderQueue();
      return;
    }
    if (!notice?.alarm) {
      return; // a kind of event this console does not know yet
    }
    const id = notice.alarm.id;
    const known = this.alarms.get(id);
    if (notice.alarm.status === 'resolved') {
      this.alarms.delete(id);
    } else if (known || change === 'accepted' || notice.alarm.status !== 'accepted' || notice.alarm.acceptedBy === this.seatId) {
      // Another seat's alarm comes (back) into the queue only when it is taken, to be seen greyed for
      // a minute: a later note or text on it must not bring it back once it has gone.
      const entry = { alarm: notice.alarm, elderName: notice.elderName, change };
      if (notice.alarm.status === 'accepted' && notice.alarm.acceptedBy !== this.seatId) {
        entry.takenAt = known?.takenAt ?? Date.now();
      }
      this.alarms.set(id, entry);
      if (!known && notice.alarm.status === 'open' && severityOf(notice.alarm) === 'critical') {
        this.beep();
      }
    }
    this.renderQueue();
    if (this.card?.alarmId === id) {
      this.card.changed(change);
    }
    this.view?.changed?.(change);
  }

  /** The seat's own action, applied at once rather than waiting for the stream's echo. */
  alarmChanged(alarm) {
    const known = this.alarms.get(alarm.id);
    if (alarm.status === 'resolved') {
      this.alarms.delete(alarm.id);
    } else {
      this.alarms.set(alarm.id, { alarm, elderName: known?.elderName ?? '', change: alarm.status });
    }
    this.renderQueue();
  }

  /** Waiting for someone: open, offered here, critical first then oldest. */
  waiting() {
    return [...this.alarms.values()].filter(e => e.alarm.status === 'open').sort(queueOrder);
  }

  renderQueue() {
    if (!this.queueList) {
      return;
    }
    this.streamBadge.textContent = this.streamState === 'connected' ? `● ${t('connected')}` : `○ ${t('reconnecting')}`;
    this.streamBadge.className = `stream-state ${this.streamState}`;
    const now = Date.now();
    for (const [id, entry] of this.alarms) {
      if (entry.takenAt && now - entry.takenAt > TAKEN_VISIBLE_MS) this.alarms.delete(id);
    }
    const waiting = this.waiting();
    const taken = [...this.alarms.values()].filter(e => e.takenAt).sort(queueOrder);
    const mine = [...this.alarms.values()].filter(e => e.alarm.status === 'accepted' && e.alarm.acceptedBy === this.seatId).sort(queueOrder);
    this.selected = Math.min(this.selected, Math.max(0, waiting.length - 1));
    clear(this.queueList,
      waiting.length || taken.length ? null : h('li', { class: 'empty' }, t('queueEmpty')),
      waiting.map((entry, i) => this.queueItem(entry, i === this.selected)),
      taken.map(entry => this.queueItem(entry, false)));
    clear(this.mineList, mine.map(entry => this.queueItem(entry, false)));
    clear(this.outageList, [...this.outages.values()].map(outage => h('li', {
      class: 'outage', 'data-testid': 'outage', 'data-outage-id': outage.outageId,
      title: dateTime(outage.since),
    }, t('outageBanner', outage.district, outage.silentDevices, duration(Date.now() - new Date(outage.since))))));
  }

  queueItem({ alarm, elderName, takenAt }, selected) {
    const severity = severityOf(alarm);
    return h('li', {
      class: `alarm severity-${severity}${selected ? ' selected' : ''}${alarm.overdue ? ' overdue' : ''}${takenAt ? ' taken' : ''}${this.card?.alarmId === alarm.id ? ' current' : ''}`,
      'data-testid': 'alarm', 'data-alarm-id': alarm.id, 'data-severity': severity, 'data-status': alarm.status,
      onclick: () => { location.hash = `#/alarm/${alarm.id}`; },
    },
    h('div', { class: 'alarm-line' },
      h('span', { class: `badge severity-${severity}` }, t(`severity.${severity}`)),
      h('strong', { class: 'elder' }, elderName),
      h('span', { class: 'kind' }, t(`kind.${alarm.kind}`))),
    h('div', { class: 'alarm-line small' },
      h('span', { class: 'age', 'data-raised': alarm.raisedAt, title: dateTime(alarm.raisedAt) }, duration(Date.now() - new Date(alarm.raisedAt))),
      alarm.overdue ? h('span', { class: 'badge overdue' }, t('overdue')) : null,
      alarm.escalationLevel > 1 && !alarm.overdue ? h('span', { class: 'badge escalated' }, t('escalated')) : null,
      (alarm.anomalies ?? []).length ? h('span', { class: 'badge flag', title: alarm.anomalies.map(a => t(`anomaly.${a.kind}`)).join(', ') }, '⚑') : null,
      takenAt ? h('span', { class: 'taken-by', 'data-testid': 'taken-by' }, t('takenBy', alarm.acceptedBy)) : null,
      h('span', { class: 'district' }, alarm.district)));
  }

  /** Once a second: ages count up without a re-render. */
  tick() {
    const now = Date.now();
    for (const element of document.querySelectorAll('.age[data-raised]')) {
      const text = duration(now - new Date(element.dataset.raised));
      element.textContent = element.closest('.card-meta') ? ` · ${t('age')} ${text}` : text;
    }
    if ([...this.alarms.values()].some(e => e.takenAt && now - e.takenAt > TAKEN_VISIBLE_MS)) {
      this.renderQueue();
    }
  }

  route() {
    const hash = location.hash || (this.role === 'supervisor' ? '#/supervisor' : this.role === 'family' ? '#/family' : '#/queue');
    const [, name, id] = hash.split('/');
    this.card?.close();
    this.card = null;
    this.view?.close?.();
    this.view = null;
    if (name === 'alarm' && id) {
      const box = h('article', { class: 'card', 'data-testid': 'card' });
      clear(this.main, box);
      this.card = new AlarmCard(this, id, box);
      this.card.open();
    } else if (name === 'supervisor') {
      this.view = new SupervisorView(this, this.main);
    } else if (name === 'history' && id) {
      this.view = new HistoryView(this, this.main, id);
    } else if (name === 'family') {
      this.view = new FamilyView(this, this.main);
    } else if (name === 'callbacks') {
      this.view = new CallbacksView(this, this.main);
    } else {
      clear(this.main, h('div', { class: 'placeholder' }, h('p', {}, t('shortcutTake'), ': ', h('kbd', {}, 'A')), this.helpBox.cloneNode(true)));
      this.main.querySelector('.help')?.classList.remove('hidden');
    }
    this.renderQueue();
    if (this.view) this.view.open();
  }

  closeCard() {
    location.hash = '#/queue';
  }

  async takeTop() {
    const top = this.waiting()[0];
    if (!top) {
      return;
    }
    try {
      const alarm = await this.api.post(`/api/alarms/${top.alarm.id}/accept`, { seatId: this.seatId });
      this.alarmChanged(alarm);
    } catch (error) {
      console.warn(error); // taken by another seat meanwhile: the stream will say so
    }
    location.hash = `#/alarm/${top.alarm.id}`;
  }

  key(event) {
    const target = event.target;
    if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) {
      if (event.key === 'Escape') target.blur();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    const waiting = this.waiting();
    switch (event.key) {
      case 'a': case 'A':
        event.preventDefault();
        this.takeTop();
        break;
      case 'ArrowDown': case 'j':
        event.preventDefault();
        this.selected = Math.min(this.selected + 1, Math.max(0, waiting.length - 1));
        this.renderQueue();
        break;
      case 'ArrowUp': case 'k':
        event.preventDefault();
        this.selected = Math.max(0, this.selected - 1);
        this.renderQueue();
        break;
      case 'Enter':
        if (waiting[this.selected]) location.hash = `#/alarm/${waiting[this.selected].alarm.id}`;
        break;
      case 'n': case 'N':
        event.preventDefault();
        this.card?.focusNotes();
        break;
      case 'Escape':
        if (this.card) this.closeCard();
        this.helpBox.classList.add('hidden');
        break;
      case '?':
        this.toggleHelp();
        break;
      default:
        break;
    }
  }

  toggleHelp() {
    this.helpBox.classList.toggle('hidden');
  }

  unlockAudio() {
    // Browsers let a page make sound only after the person touched it: the sign-in click does.
    try {
      this.audio ??= new AudioContext();
      this.audio.resume();
    } catch {
      this.audio = null;
    }
  }

  /** Three short high beeps for a new critical alarm: no sound file, WebAudio only. */
  beep() {
    this.unlockAudio();
    const audio = this.audio;
    if (!audio) {
      return;
    }
    document.body.dataset.lastBeep = String(Date.now());
    for (let i = 0; i < 3; i++) {
      const start = audio.currentTime + i * 0.25;
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.type = 'square';
      oscillator.frequency.value = 1046;
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(0.2, start + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.18);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(start);
      oscillator.stop(start + 0.2);
    }
  }
}

const app = new ConsoleApp();
window.elderIoTConsole = app;
app.start().catch(error => {
  document.getElementById('app').textContent = errorText(error);
});
