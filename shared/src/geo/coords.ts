/**
 * Coordinates at the edge and in storage.
 *
 * Decision: we store WGS-84 (the GPS datum, EPSG:4326, what PostGIS and GeoJSON assume). Phones report
 * GCJ-02 (WeChat `getLocation({ type: 'gcj02' })`, Chinese map SDKs) or WGS-84, and the two differ by
 * ~300–700 m in China; every reported point is converted with `toWgs84` on arrival together with the datum the
 * client declared, and converted back with `toGcj02` only to draw on a Chinese map. Distances and fences are
 * computed on WGS-84.
 *
 * Conversion uses gcoord (pure math, no Node or DOM APIs; its ESM build is what the mini-app bundles).
 * gcoord leaves points outside its China bounding box unchanged, as GCJ-02 is only defined inside China.
 */
import gcoord from 'gcoord';

/** A point in degrees. Which datum it is in is decided by context: stored points are WGS-84. */
export type LatLng = { lat: number; lng: number };

/** Datums a client may report. */
export type Datum = 'gcj02' | 'wgs84';

/** Datums a client may report, for schemas and validation. */
export const DATUMS: readonly Datum[] = ['gcj02', 'wgs84'];

/** True for finite coordinates inside the valid ranges (lat ±90, lng ±180). */
export function isValidLatLng(lat: number, lng: number): boolean {
  return Number.isFinite(lat) && Number.isFinite(lng) && Math.abs(lat) <= 90 && Math.abs(lng) <= 180;
}

function checked(lat: number, lng: number): void {
  if (!isValidLatLng(lat, lng)) throw new RangeError(`invalid coordinates: ${lat}, ${lng}`);
}

/** Converts a point the client reported in `datum` to WGS-84, the datum we store. */
export function toWgs84(lat: number, lng: number, datum: Datum): LatLng {
  checked(lat, lng);
  if (datum === 'wgs84') return { lat, lng };
  const [outLng, outLat] = gcoord.transform<[number, number]>([lng, lat], gcoord.GCJ02, gcoord.WGS84);
  return { lat: outLat, lng: outLng };
}

/** Converts a point in `datum` (default: our stored WGS-84) to GCJ-02, for drawing on Chinese maps. */
export function toGcj02(lat: number, lng: number, datum: Datum = 'wgs84'): LatLng {
  checked(lat, lng);
  if (datum === 'gcj02') return { lat, lng };
  const [outLng, outLat] = gcoord.transform<[number, number]>([lng, lat], gcoord.WGS84, gcoord.GCJ02);
  return { lat: outLat, lng: outLng };
}

/** Mean Earth radius (IUGG), metres: haversine with it is within ~0.5% of the ellipsoid distance. */
export const EARTH_RADIUS_M = 6_371_008.8;

/** Great-circle (haversine) distance in metres between two WGS-84 points: fences and travel speed use it. */
export function distanceMeters(a: LatLng, b: LatLng): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Average speed in km/h needed to go from `a` at `tA` to `b` at `tB` (order of times does not matter).
 * Zero elapsed time gives 0 for the same place and Infinity for two places: being in two places at once is
 * the most implausible travel there is.
 */
export function speedKmh(a: LatLng, tA: Date, b: LatLng, tB: Date): number {
  const meters = distanceMeters(a, b);
  const hours = Math.abs(tB.getTime() - tA.getTime()) / 3_600_000;
  if (hours === 0) return meters === 0 ? 0 : Number.POSITIVE_INFINITY;
  return meters / 1000 / hours;
}

/** True when `point` lies within `radiusM` metres of `center` (both WGS-84): the on-site check-in fence. */
export function isInsideFence(point: LatLng, center: LatLng, radiusM: number): boolean {
  return distanceMeters(point, center) <= radiusM;
}
