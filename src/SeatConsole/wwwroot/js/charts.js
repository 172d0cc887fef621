// Vitals as SVG: the mean per interval as a line, min–max as a band, times on the centre's clock.

import { t, currentLanguage } from './i18n.js';
import { centreTimeZone } from './format.js';

const NS = 'http://www.w3.org/2000/svg';

function svg(tag, attributes = {}, text) {
  const element = document.createElementNS(NS, tag);
  for (const [key, value] of Object.entries(attributes)) {
    element.setAttribute(key, value);
  }
  if (text !== undefined) {
    element.textContent = text;
  }
  return element;
}

/** buckets: [{start, mean, min, max, count}] from GET /api/elders/{id}/vitals. */
export function vitalsChart(buckets, { metric, from, to, width = 560, height = 180 }) {
  const root = svg('svg', { class: 'chart', viewBox: `0 0 ${width} ${height}`, width, height, 'data-testid': `chart-${metric}` });
  const pad = { left: 40, right: 24, top: 18, bottom: 24 };
  const innerWidth = width - pad.left - pad.right;
  const innerHeight = height - pad.top - pad.bottom;
  root.append(svg('text', { x: pad.left, y: 12, class: 'chart-title' }, t(`metric.${metric}`)));
  const data = buckets.filter(b => b.count > 0);
  if (!data.length) {
    root.append(svg('text', { x: width / 2, y: height / 2, class: 'chart-empty', 'text-anchor': 'middle' }, t('noData')));
    return root;
  }
  const start = new Date(from).getTime();
  const end = new Date(to).getTime();
  let low = Math.min(...data.map(b => b.min));
  let high = Math.max(...data.map(b => b.max));
  if (high - low < 1) { high += 1; low -= 1; }
  const margin = (high - low) * 0.1;
  low -= margin; high += margin;
  const x = at => pad.left + ((new Date(at).getTime() - start) / (end - start)) * innerWidth;
  const y = value => pad.top + (1 - (value - low) / (high - low)) * innerHeight;

  for (let i = 0; i <= 4; i++) {
    const value = low + ((high - low) * i) / 4;
    root.append(svg('line', { x1: pad.left, x2: width - pad.right, y1: y(value), y2: y(value), class: 'chart-grid' }));
    root.append(svg('text', { x: pad.left - 4, y: y(value) + 4, 'text-anchor': 'end', class: 'chart-axis' }, value.toFixed(0)));
  }
  const span = end - start;
  const labels = new Intl.DateTimeFormat(currentLanguage(), span > 2 * 86400000
    ? { timeZone: centreTimeZone(), month: '2-digit', day: '2-digit' }
    : { timeZone: centreTimeZone(), hour: '2-digit', minute: '2-digit', hour12: false });
  for (let i = 0; i <= 4; i++) {
    const at = start + (span * i) / 4;
    root.append(svg('text', { x: x(at), y: height - 6, 'text-anchor': 'middle', class: 'chart-axis' }, labels.format(new Date(at))));
  }

  const band = data.map((b, i) => `${i ? 'L' : 'M'}${x(b.start).toFixed(1)},${y(b.max).toFixed(1)}`).join('')
    + data.slice().reverse().map(b => `L${x(b.start).toFixed(1)},${y(b.min).toFixed(1)}`).join('') + 'Z';
  root.append(svg('path', { d: band, class: 'chart-band' }));
  const line = data.map((b, i) => `${i ? 'L' : 'M'}${x(b.start).toFixed(1)},${y(b.mean).toFixed(1)}`).join('');
  root.append(svg('path', { d: line, class: 'chart-line' }));
  for (const b of data) {
    const dot = svg('circle', { cx: x(b.start), cy: y(b.mean), r: 2.5, class: 'chart-dot' });
    dot.append(svg('title', {}, `${new Date(b.start).toISOString()} ${b.mean.toFixed(1)} (${b.min}–${b.max})`));
    root.append(dot);
  }
  return root;
}
