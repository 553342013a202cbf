import { fenceLayout, mapScale, webNavigationUrl } from './fence-map';

const ENT = { lat: 41.1, lng: 121.1 };

describe('the check-in map drawing', () => {
  it('puts the enterprise in the middle and a point inside the fence inside the circle', () => {
    const l = fenceLayout(ENT, 300, { lat: 41.1004, lng: 121.1003 }); // ≈ 50 m north-east
    expect(l.center).toEqual({ x: 50, y: 50 });
    expect(l.inside).toBe(true);
    expect(l.distanceM).toBeGreaterThan(40);
    expect(l.distanceM).toBeLessThan(60);
    expect(l.point!.x).toBeGreaterThan(50); // east is right
    expect(l.point!.y).toBeLessThan(50); // north is up
    const r = l.fenceDiameter / 2;
    expect(Math.hypot(l.point!.x - 50, l.point!.y - 50)).toBeLessThan(r);
  });

  it('widens the square for a far point, which lands outside the circle', () => {
    const l = fenceLayout(ENT, 300, { lat: 41.118, lng: 121.1 }); // ≈ 2 km north
    expect(l.inside).toBe(false);
    expect(l.halfSideM).toBeGreaterThan(2000);
    expect(l.point!.y).toBeGreaterThan(2);
    expect(Math.hypot(l.point!.x - 50, l.point!.y - 50)).toBeGreaterThan(l.fenceDiameter / 2);
    expect(mapScale(l.halfSideM)).toBeLessThan(mapScale(fenceLayout(ENT, 300, null).halfSideM));
  });

  it('navigates in GCJ-02 (the datum Chinese maps use)', () => {
    const url = webNavigationUrl(ENT, '测试企业');
    const [lng, lat] = /position=([\d.]+),([\d.]+)/.exec(url)!.slice(1).map(Number);
    expect(Math.abs(lng - ENT.lng)).toBeGreaterThan(0.001); // shifted from WGS-84
    expect(Math.abs(lat - ENT.lat)).toBeLessThan(0.01);
    expect(url).toContain(encodeURIComponent('测试企业'));
  });
});
