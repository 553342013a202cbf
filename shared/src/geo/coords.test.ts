import { distanceMeters, isInsideFence, isValidLatLng, speedKmh, toGcj02, toWgs84, type LatLng } from './coords';

const TIANANMEN: LatLng = { lat: 39.9087, lng: 116.3975 }; // WGS-84

describe('datum conversion', () => {
  it('shifts a Beijing point by 300–700 m from WGS-84 to GCJ-02, north-east-ish', () => {
    const g = toGcj02(TIANANMEN.lat, TIANANMEN.lng, 'wgs84');
    const shift = distanceMeters(TIANANMEN, g);
    expect(shift).toBeGreaterThan(300);
    expect(shift).toBeLessThan(700);
    expect(g.lng).toBeGreaterThan(TIANANMEN.lng); // GCJ-02 in Beijing is ~+0.006° lng, ~+0.0013° lat
    expect(g.lat).toBeGreaterThan(TIANANMEN.lat);
  });

  it.each([
    ['Tiananmen', 39.9087, 116.3975],
    ['Panjin Xinglongtai', 41.1219, 122.0709],
    ['Shenzhen', 22.5431, 114.0579],
    ['Urumqi', 43.8256, 87.6168],
  ])('round-trips %s within 1 m', (_name, lat, lng) => {
    const g = toGcj02(lat, lng);
    const back = toWgs84(g.lat, g.lng, 'gcj02');
    expect(distanceMeters({ lat, lng }, back)).toBeLessThan(1);
  });

  it('leaves WGS-84 input alone and GCJ-02 → GCJ-02 alone', () => {
    expect(toWgs84(39.9, 116.4, 'wgs84')).toEqual({ lat: 39.9, lng: 116.4 });
    expect(toGcj02(39.9, 116.4, 'gcj02')).toEqual({ lat: 39.9, lng: 116.4 });
  });

  it('does not shift points outside China (GCJ-02 is undefined there)', () => {
    expect(toWgs84(48.8584, 2.2945, 'gcj02')).toEqual({ lat: 48.8584, lng: 2.2945 });
  });

  it.each([
    [91, 116],
    [39, 181],
    [Number.NaN, 116],
    [39, Number.POSITIVE_INFINITY],
  ])('rejects invalid coordinates (%p, %p)', (lat, lng) => {
    expect(isValidLatLng(lat, lng)).toBe(false);
    expect(() => toWgs84(lat, lng, 'gcj02')).toThrow(RangeError);
    expect(() => toGcj02(lat, lng)).toThrow(RangeError);
  });
});

describe('distanceMeters', () => {
  it.each([
    ['same point', TIANANMEN, TIANANMEN, 0, 0.001],
    // 1° of latitude on the mean sphere = 2πR/360 = 111,195 m.
    ['one degree of latitude', { lat: 0, lng: 0 }, { lat: 1, lng: 0 }, 111_195, 1],
    ['one degree of longitude at 60°N is half', { lat: 60, lng: 0 }, { lat: 60, lng: 1 }, 55_597, 2],
    // Beijing ↔ Shanghai city centres: ~1,067 km by great circle.
    ['Beijing–Shanghai', { lat: 39.9042, lng: 116.4074 }, { lat: 31.2304, lng: 121.4737 }, 1_067_000, 3_000],
    // A 300 m fence: 0.0027° of latitude ≈ 300 m.
    ['300 m north', { lat: 41.0, lng: 122.0 }, { lat: 41.0027, lng: 122.0 }, 300, 1],
  ])('%s', (_name, a, b, expected, tolerance) => {
    expect(Math.abs(distanceMeters(a, b) - expected)).toBeLessThanOrEqual(tolerance);
    expect(Math.abs(distanceMeters(b, a) - expected)).toBeLessThanOrEqual(tolerance);
  });
});

describe('speedKmh', () => {
  const a: LatLng = { lat: 0, lng: 0 };
  const b: LatLng = { lat: 1, lng: 0 }; // 111.195 km
  const t0 = new Date('2025-10-09T08:00:00+08:00');
  it.each([
    ['one hour', new Date('2025-10-09T09:00:00+08:00'), 111.195],
    ['half an hour', new Date('2025-10-09T08:30:00+08:00'), 222.39],
    ['reversed times', new Date('2025-10-09T07:00:00+08:00'), 111.195],
  ])('%s', (_name, t1, kmh) => {
    expect(speedKmh(a, t0, b, t1)).toBeCloseTo(kmh, 2);
  });

  it('is Infinity for two places at the same instant and 0 for the same place', () => {
    expect(speedKmh(a, t0, b, t0)).toBe(Number.POSITIVE_INFINITY);
    expect(speedKmh(a, t0, a, t0)).toBe(0);
  });
});

describe('isInsideFence', () => {
  const center: LatLng = { lat: 41.0, lng: 122.0 };
  it.each([
    [{ lat: 41.0026, lng: 122.0 }, 300, true],
    [{ lat: 41.0028, lng: 122.0 }, 300, false],
    [{ lat: 41.0028, lng: 122.0 }, 500, true],
    [center, 0, true],
  ])('%o within %d m → %s', (p, r, inside) => expect(isInsideFence(p, center, r)).toBe(inside));
});
