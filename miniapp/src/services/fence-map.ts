/**
 * The check-in map without map tiles (issue 13): the enterprise's fence circle, the enterprise point and a
 * position, laid out on a square in metres around the enterprise. Pure, so the H5 drawing and its tests share it.
 * Inputs are WGS-84 (ADR 0003: what the server stores and the fence is measured in); the weapp map converts to
 * GCJ-02 at the edge (`mapPoints`).
 */
import { distanceMeters, toGcj02, toWgs84, type Datum, type LatLng } from '@guanjia/shared/geo/coords';

/** Metres per degree of latitude (mean); a degree of longitude is this times cos(latitude). */
const M_PER_DEG = 111_320;

/** Where things sit on the square drawing, in percent of its side (0,0 top left; north up). */
export type FenceLayout = {
  /** The enterprise point (the fence's centre). */
  center: { x: number; y: number };
  /** The fence circle's diameter in percent of the side (at least 2, so a far point still shows a dot of a fence). */
  fenceDiameter: number;
  /** The position, when there is one. */
  point: { x: number; y: number } | null;
  /** Metres between the position and the enterprise, rounded; null without a position. */
  distanceM: number | null;
  /** Half the side of the square in metres (its scale). */
  halfSideM: number;
  /** True when the position lies inside the fence. */
  inside: boolean | null;
};

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/**
 * Lays out the fence around `center` and `point` (both WGS-84): the square is centred on the enterprise and wide
 * enough for both the fence and the point with a margin; the point is clamped inside the square's border.
 */
export function fenceLayout(center: LatLng, radiusM: number, point: LatLng | null): FenceLayout {
  const r = Math.max(1, radiusM);
  if (!point) return { center: { x: 50, y: 50 }, fenceDiameter: 100 / 1.3, point: null, distanceM: null, halfSideM: r * 1.3, inside: null };
  const dx = (point.lng - center.lng) * M_PER_DEG * Math.cos((center.lat * Math.PI) / 180);
  const dy = (point.lat - center.lat) * M_PER_DEG;
  const far = Math.max(Math.abs(dx), Math.abs(dy));
  const halfSideM = Math.max(r * 1.3, far * 1.2);
  const distanceM = Math.round(distanceMeters(point, center));
  return {
    center: { x: 50, y: 50 },
    fenceDiameter: Math.max(2, (r / halfSideM) * 100),
    point: { x: clamp(50 + (dx / halfSideM) * 50, 3, 97), y: clamp(50 - (dy / halfSideM) * 50, 3, 97) },
    distanceM,
    halfSideM,
    inside: distanceM <= r,
  };
}

/** A reported fix to WGS-84, the datum of the drawing. */
export function fixToWgs84(fix: { lat: number; lng: number; datum: Datum }): LatLng {
  return toWgs84(fix.lat, fix.lng, fix.datum);
}

/** The map's points in GCJ-02 (WeChat's Map and openLocation draw in it; ADR 0003 converts at the edge). */
export function mapPoints(center: LatLng, point: LatLng | null): { center: LatLng; point: LatLng | null } {
  return { center: toGcj02(center.lat, center.lng), point: point ? toGcj02(point.lat, point.lng) : null };
}

/** The WeChat map's zoom level that shows `halfSideM` metres either side of the centre on a phone. */
export function mapScale(halfSideM: number): number {
  // scale 16 ≈ 500 m across a phone screen; each step halves or doubles that.
  const across = halfSideM * 2;
  return clamp(Math.round(16 - Math.log2(across / 500)), 5, 18);
}

/**
 * A web map link for navigation when the page runs outside WeChat (H5 in a browser): AMap's URI API opens its app
 * or site at the marker, which offers the route. GCJ-02 coordinates (`coordinate=gaode`).
 */
export function webNavigationUrl(center: LatLng, name: string): string {
  const g = toGcj02(center.lat, center.lng);
  return `https://uri.amap.com/marker?position=${g.lng.toFixed(6)},${g.lat.toFixed(6)}&name=${encodeURIComponent(name)}&coordinate=gaode&callnative=1`;
}
