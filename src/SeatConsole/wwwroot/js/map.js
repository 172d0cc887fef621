// The card's map, drawn by the console itself in SVG on Web Mercator (the projection of map tiles):
// the last position with its accuracy circle, the recent track, the elder's zones, the home and the
// nearest responders. Tiles, when a tile server answers, are only the background: with none
// reachable the seat still sees every position, the track and the zones, on a metric grid.

import { t } from './i18n.js';

const NS = 'http://www.w3.org/2000/svg';
const TILE = 256;

function svg(tag, attributes = {}, ...children) {
  const element = document.createElementNS(NS, tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null) {
      element.setAttribute(key, value);
    }
  }
  element.append(...children.filter(Boolean));
  return element;
}

/** World pixel coordinates at zoom z. */
export function project(lat, lon, z) {
  const scale = TILE * 2 ** z;
  const sin = Math.min(Math.max(Math.sin((lat * Math.PI) / 180), -0.9999), 0.9999);
  return {
    x: ((lon + 180) / 360) * scale,
    y: (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) * scale,
  };
}

function metresPerPixel(lat, z) {
  return (156543.03392 * Math.cos((lat * Math.PI) / 180)) / 2 ** z;
}

/** Every zone's outline as rings of [lon, lat], and circles as {lat, lon, radius}. */
function shapesOf(feature) {
  const geometry = feature?.geometry;
  if (!geometry) {
    return { rings: [], circles: [] };
  }
  if (geometry.type === 'Polygon') {
    return { rings: geometry.coordinates, circles: [] };
  }
  if (geometry.type === 'MultiPolygon') {
    return { rings: geometry.coordinates.flat(), circles: [] };
  }
  if (geometry.type === 'Point') {
    const [lon, lat] = geometry.coordinates;
    return { rings: [], circles: [{ lat, lon, radius: Number(feature.properties?.radius ?? 0) }] };
  }
  return { rings: [], circles: [] };
}

export class MapView {
  constructor(container, config) {
    this.container = container;
    this.config = config ?? {};
    this.zoomShift = 0;
    this.data = null;
    this.tilesFailed = false;
    this.root = svg('svg', { class: 'map', role: 'img', 'aria-label': t('map'), 'data-testid': 'map' });
    this.notice = document.createElement('div');
    this.notice.className = 'map-notice';
    const zoomIn = Object.assign(document.createElement('button'), { type: 'button', textContent: '+', className: 'map-zoom', title: '+' });
    const zoomOut = Object.assign(document.createElement('button'), { type: 'button', textContent: '−', className: 'map-zoom', title: '−' });
    zoomIn.addEventListener('click', () => { this.zoomShift++; this.draw(); });
    zoomOut.addEventListener('click', () => { this.zoomShift--; this.draw(); });
    const controls = document.createElement('div');
    controls.className = 'map-controls';
    controls.append(zoomIn, zoomOut);
    container.replaceChildren(this.root, controls, this.notice);
  }

  /** {position: {lat, lon, accuracy, at}, track: [{lat, lon}], geofences: FeatureCollection, home: {lat, lon}, responders: [...]} */
  update(data) {
    this.data = data;
    this.draw();
  }

  draw() {
    const data = this.data ?? {};
    const width = this.container.clientWidth || 480;
    const height = this.container.clientHeight || 320;
    this.root.setAttribute('viewBox', `0 0 ${width} ${height}`);
    this.root.setAttribute('width', width);
    this.root.setAttribute('height', height);
    this.root.replaceChildren();

    const zones = (data.geofences?.features ?? []).map(f => ({ feature: f, ...shapesOf(f) }));
    const points = [];
    if (data.position) points.push([data.position.lat, data.position.lon, data.position.accuracy ?? 0]);
    if (data.home) points.push([data.home.lat, data.home.lon, 0]);
    for (const p of data.track ?? []) points.push([p.lat, p.lon, 0]);
    for (const zone of zones) {
      for (const ring of zone.rings) for (const [lon, lat] of ring) points.push([lat, lon, 0]);
      for (const c of zone.circles) points.push([c.lat, c.lon, c.radius]);
    }
    if (!points.length) {
      this.root.append(svg('rect', { x: 0, y: 0, width, height, class: 'map-bg' }));
      this.notice.textContent = t('noPosition');
      return;
    }

    // The largest zoom at which everything (circles included) fits, then the seat's own +/-.
    const maxZoom = Math.min(Number(this.config.tileMaxZoom ?? 19), 19);
    let zoom = 2;
    for (let z = maxZoom; z >= 2; z--) {
      let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
      for (const [lat, lon, radius] of points) {
        const p = project(lat, lon, z);
        const r = radius / metresPerPixel(lat, z);
        minX = Math.min(minX, p.x - r); maxX = Math.max(maxX, p.x + r);
        minY = Math.min(minY, p.y - r); maxY = Math.max(maxY, p.y + r);
      }
      if (maxX - minX <= width - 48 && maxY - minY <= height - 48) {
        zoom = Math.min(z, 17);
        break;
      }
    }
    zoom = Math.max(2, Math.min(maxZoom, zoom + this.zoomShift));
    const lats = points.map(p => p[0]);
    const lons = points.map(p => p[1]);
    const centre = project((Math.min(...lats) + Math.max(...lats)) / 2, (Math.min(...lons) + Math.max(...lons)) / 2, zoom);
    const at = (lat, lon) => {
      const p = project(lat, lon, zoom);
      return { x: p.x - centre.x + width / 2, y: p.y - centre.y + height / 2 };
    };
    const pixels = (metres, lat) => metres / metresPerPixel(lat, zoom);

    this.root.append(svg('rect', { x: 0, y: 0, width, height, class: 'map-bg' }));
    this.drawGrid(width, height, centre, zoom);
    this.drawTiles(width, height, centre, zoom);

    for (const zone of zones) {
      const kind = zone.feature.properties?.kind === 'danger' ? 'danger' : 'safe';
      const name = zone.feature.properties?.name ?? '';
      for (const ring of zone.rings) {
        const d = ring.map(([lon, lat], i) => { const p = at(lat, lon); return `${i ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`; }).join('') + 'Z';
        this.root.append(svg('path', { d, class: `zone zone-${kind}`, 'data-testid': 'zone' }, svg('title', {}, document.createTextNode(name))));
      }
      for (const c of zone.circles) {
        const p = at(c.lat, c.lon);
        this.root.append(svg('circle', { cx: p.x, cy: p.y, r: Math.max(2, pixels(c.radius, c.lat)), class: `zone zone-${kind}`, 'data-testid': 'zone' },
          svg('title', {}, document.createTextNode(name))));
      }
    }

    const track = data.track ?? [];
    if (track.length > 1) {
      const d = track.map((p, i) => { const q = at(p.lat, p.lon); return `${i ? 'L' : 'M'}${q.x.toFixed(1)},${q.y.toFixed(1)}`; }).join('');
      this.root.append(svg('path', { d, class: 'track', 'data-testid': 'track' }));
      for (const p of track) {
        const q = at(p.lat, p.lon);
        this.root.append(svg('circle', { cx: q.x, cy: q.y, r: 2.5, class: 'track-point' }));
      }
    }

    if (data.home) {
      const p = at(data.home.lat, data.home.lon);
      this.root.append(svg('g', { class: 'home', transform: `translate(${p.x},${p.y})`, 'data-testid': 'home' },
        svg('path', { d: 'M-9,1 L0,-9 L9,1 L6,1 L6,9 L-6,9 L-6,1 Z' }),
        svg('title', {}, document.createTextNode(t('home')))));
    }

    for (const responder of data.responders ?? []) {
      const p = at(responder.position.lat, responder.position.lon);
      this.root.append(svg('g', { class: 'responder', transform: `translate(${p.x},${p.y})`, 'data-testid': 'responder' },
        svg('rect', { x: -6, y: -6, width: 12, height: 12, rx: 2 }),
        svg('title', {}, document.createTextNode(responder.name))));
    }

    if (data.position) {
      const { lat, lon, accuracy } = data.position;
      const p = at(lat, lon);
      if (accuracy) {
        this.root.append(svg('circle', { cx: p.x, cy: p.y, r: Math.max(4, pixels(accuracy, lat)), class: 'accuracy', 'data-testid': 'accuracy' }));
      }
      this.root.append(svg('circle', {
        cx: p.x, cy: p.y, r: 8, class: 'position', 'data-testid': 'position', 'data-lat': lat, 'data-lon': lon,
      }, svg('title', {}, document.createTextNode(`${t('lastPosition')} ${lat.toFixed(5)}, ${lon.toFixed(5)}`))));
    }

    this.drawScale(width, height, lats[0], zoom);
    const attribution = this.config.tileUrl && !this.tilesFailed ? this.config.tileAttribution ?? '' : '';
    if (attribution) {
      this.root.append(svg('text', { x: width - 4, y: height - 4, class: 'attribution', 'text-anchor': 'end' }, document.createTextNode(attribution)));
    }
    this.notice.textContent = this.tilesFailed || !this.config.tileUrl ? t('tilesOff') : '';
  }

  drawTiles(width, height, centre, zoom) {
    const template = this.config.tileUrl;
    if (!template || this.tilesFailed) {
      return;
    }
    const count = 2 ** zoom;
    const left = centre.x - width / 2;
    const top = centre.y - height / 2;
    const layer = svg('g', { class: 'tiles' });
    for (let tx = Math.floor(left / TILE); tx <= Math.floor((left + width) / TILE); tx++) {
      for (let ty = Math.floor(top / TILE); ty <= Math.floor((top + height) / TILE); ty++) {
        if (ty < 0 || ty >= count) continue;
        const x = ((tx % count) + count) % count;
        const href = template.replace('{s}', 'abc'[(x + ty) % 3]).replace('{z}', zoom).replace('{x}', x).replace('{y}', ty);
        const image = svg('image', { href, x: tx * TILE - left, y: ty * TILE - top, width: TILE, height: TILE, preserveAspectRatio: 'none' });
        image.addEventListener('error', () => {
          // One tile that does not come means the server is out of reach: stop asking, keep drawing.
          if (!this.tilesFailed) {
            this.tilesFailed = true;
            this.draw();
          }
        }, { once: true });
        layer.append(image);
      }
    }
    this.root.append(layer);
  }

  drawGrid(width, height, centre, zoom) {
    // A light grid every 256 px keeps the sense of distance when there are no tiles.
    const layer = svg('g', { class: 'grid' });
    const left = centre.x - width / 2;
    const top = centre.y - height / 2;
    const step = TILE / 4;
    for (let x = Math.ceil(left / step) * step; x < left + width; x += step) {
      layer.append(svg('line', { x1: x - left, y1: 0, x2: x - left, y2: height }));
    }
    for (let y = Math.ceil(top / step) * step; y < top + height; y += step) {
      layer.append(svg('line', { x1: 0, y1: y - top, x2: width, y2: y - top }));
    }
    this.root.append(layer);
  }

  drawScale(width, height, lat, zoom) {
    const perPixel = metresPerPixel(lat, zoom);
    const target = perPixel * 100;
    const magnitude = 10 ** Math.floor(Math.log10(target));
    const metres = [1, 2, 5, 10].map(m => m * magnitude).filter(m => m <= target).pop() ?? magnitude;
    const length = metres / perPixel;
    const label = metres >= 1000 ? `${metres / 1000} km` : `${metres} m`;
    this.root.append(svg('g', { class: 'scale', transform: `translate(8,${height - 10})` },
      svg('path', { d: `M0,-5 L0,0 L${length},0 L${length},-5` }),
      svg('text', { x: length + 4, y: 0 }, document.createTextNode(label))));
  }
}
