// The console's only way to the node: the public REST API and the seat stream, exactly as a third
// party's dashboard would use them. Every request carries the bearer token once signed in; the
// stream is read with fetch() so that the token travels in a header, never in the URL.

import { currentLanguage } from './i18n.js';

export class ApiError extends Error {
  constructor(status, problem) {
    super(describe(status, problem));
    this.status = status;
    this.problem = problem;
  }
}

function describe(status, problem) {
  if (!problem) {
    return `HTTP ${status}`;
  }
  const fields = problem.errors ? Object.entries(problem.errors).map(([k, v]) => `${k}: ${[].concat(v).join(' ')}`) : [];
  return [problem.title, problem.detail, ...fields].filter(Boolean).join(' — ') || `HTTP ${status}`;
}

const sessionKey = 'elderiot.session';

export class Api {
  constructor() {
    const saved = sessionStorage.getItem(sessionKey);
    /** {accessToken?, userName, role, seatId?, elderId?, expiresAt?, open} */
    this.session = saved ? JSON.parse(saved) : null;
    this.authAvailable = null;
  }

  headers(extra = {}) {
    const headers = { 'Accept-Language': currentLanguage(), ...extra };
    if (this.session?.accessToken) {
      headers.Authorization = `Bearer ${this.session.accessToken}`;
    }
    return headers;
  }

  async request(method, path, body) {
    const init = { method, headers: this.headers(body === undefined ? {} : { 'Content-Type': 'application/json' }) };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
    }
    const response = await fetch(path, init);
    if (response.status === 401 && this.session?.accessToken) {
      this.signOut();
      location.reload();
    }
    const type = response.headers.get('Content-Type') ?? '';
    const data = type.includes('json') ? await response.json() : await response.text();
    if (!response.ok) {
      throw new ApiError(response.status, typeof data === 'object' ? data : null);
    }
    return data;
  }

  get(path) { return this.request('GET', path); }

  post(path, body = {}) { return this.request('POST', path, body); }

  /**
   * Whether this node signs people in: the node's own OpenAPI document says whether it has
   * POST /api/auth/token. A node without it has today's open API, and the console signs in
   * by seat id alone.
   */
  async detectAuth() {
    if (this.authAvailable === null) {
      try {
        const document = await fetch('/openapi/v1.json').then(r => (r.ok ? r.json() : {}));
        this.authAvailable = Boolean(document.paths?.['/api/auth/token']?.post);
      } catch {
        this.authAvailable = false;
      }
    }
    return this.authAvailable;
  }

  async signIn(userName, password, openRole) {
    if (await this.detectAuth()) {
      const token = await this.request('POST', '/api/auth/token', { userName, password });
      this.session = { ...token, open: false };
    } else {
      this.session = { userName, role: openRole || 'seat', seatId: userName, elderId: null, open: true };
    }
    sessionStorage.setItem(sessionKey, JSON.stringify(this.session));
    return this.session;
  }

  /** The signed-in user as the node sees it now (a token's role may have changed). */
  async refreshSession() {
    if (!this.session || this.session.open) {
      return this.session;
    }
    const me = await this.get('/api/auth/me');
    this.session = { ...this.session, ...me };
    sessionStorage.setItem(sessionKey, JSON.stringify(this.session));
    return this.session;
  }

  signOut() {
    this.session = null;
    sessionStorage.removeItem(sessionKey);
  }

  /**
   * Listens to a seat's stream until the signal aborts; reconnects after a break (the seat stays
   * present for the reconnect grace, and the node replays what is open on connect).
   */
  async listen(seatId, onNotice, onState, signal) {
    let delay = 500;
    while (!signal.aborted) {
      try {
        const response = await fetch(`/api/seats/${encodeURIComponent(seatId)}/stream`, {
          headers: this.headers({ Accept: 'text/event-stream' }),
          signal,
          cache: 'no-store',
        });
        if (!response.ok || !response.body) {
          throw new ApiError(response.status, null);
        }
        onState('connected');
        delay = 500;
        await readEvents(response.body, onNotice);
      } catch (error) {
        if (signal.aborted) {
          return;
        }
        console.warn('seat stream', error);
      }
      onState('reconnecting');
      await new Promise(resolve => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 10000);
    }
  }
}

/** Server-Sent Events off a byte stream: "event:" and "data:" lines, a blank line ends one. */
async function readEvents(body, onNotice) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let event = 'message';
  let data = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      return;
    }
    buffer += value;
    let newline;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline).replace(/\r$/, '');
      buffer = buffer.slice(newline + 1);
      if (line === '') {
        if (data.length) {
          try {
            onNotice(event, JSON.parse(data.join('\n')));
          } catch (error) {
            console.warn('seat stream: unreadable notice', error);
          }
        }
        event = 'message';
        data = [];
      } else if (line.startsWith('event:')) {
        event = line.slice(6).trim();
      } else if (line.startsWith('data:')) {
        data.push(line.slice(5).trimStart());
      }
    }
  }
}
