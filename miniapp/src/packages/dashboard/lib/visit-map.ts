import type { ChartSpec, VisitMap } from '../../../services/dashboard';

// The visits map's drawing maths, in the dashboard subpackage (only its pages use it: the main package stays as it was).

/**
 * The visits map: each placed area as a point at its centroid, in kilometres east (x) and north (y) of the district's
 * mean centre (an equirectangular projection: at a district's size the error is far below a circle's width), so the
 * chart can draw it to scale. Areas without a located enterprise have no position and are left to the list.
 */
export function visitMapSpec(map: VisitMap): ChartSpec {
  const placed = map.areas.filter((a) => a.center);
  if (!placed.length) return { kind: 'map', data: [], colors: ['#1677ff'] };
  const lat0 = placed.reduce((s, a) => s + a.center!.lat, 0) / placed.length;
  const lng0 = placed.reduce((s, a) => s + a.center!.lng, 0) / placed.length;
  const kmPerDegLat = 111.32;
  const kmPerDegLng = kmPerDegLat * Math.cos((lat0 * Math.PI) / 180);
  return {
    kind: 'map', colors: ['#1677ff'],
    data: placed.map((a) => ({
      label: a.area.name, value: a.checkins,
      x: Math.round((a.center!.lng - lng0) * kmPerDegLng * 1000) / 1000,
      y: Math.round((a.center!.lat - lat0) * kmPerDegLat * 1000) / 1000,
    })),
  };
}

/**
 * Equal kilometres per pixel on both axes: the x and y domains widened so that their ratio is the plot's width to
 * height, with a margin of `pad` (a share of the span) around the outermost points. One point gets a 10 km square.
 */
export function mapDomains(points: readonly { x: number; y: number }[], width: number, height: number, pad = 0.2) {
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const cx = (Math.min(...xs) + Math.max(...xs)) / 2;
  const cy = (Math.min(...ys) + Math.max(...ys)) / 2;
  let spanX = Math.max(...xs) - Math.min(...xs);
  let spanY = Math.max(...ys) - Math.min(...ys);
  if (spanX === 0 && spanY === 0) spanX = spanY = 10;
  spanX *= 1 + 2 * pad;
  spanY *= 1 + 2 * pad;
  const aspect = width / height;
  if (spanX / Math.max(spanY, 1e-9) < aspect) spanX = spanY * aspect;
  else spanY = spanX / aspect;
  return { x: { min: cx - spanX / 2, max: cx + spanX / 2 }, y: { min: cy - spanY / 2, max: cy + spanY / 2 } };
}
