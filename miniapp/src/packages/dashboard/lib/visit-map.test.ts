import { mapDomains, visitMapSpec } from './visit-map';

const area = (name: string, lat: number | null, lng: number | null, checkins: number) => ({
  area: { id: name, name }, center: lat === null || lng === null ? null : { lat, lng }, locatedEnterprises: lat === null ? 0 : 1, checkins,
});

describe('the visits map', () => {
  it('places located areas in kilometres east and north of their mean centre; unlocated ones are left out', () => {
    const spec = visitMapSpec({ month: '2026-03', from: '2026-03-01', to: '2026-03-31', areas: [area('甲镇', 41, 121, 3), area('乙区', 41.1, 121.2, 1), area('丙镇', null, null, 5)] });
    expect(spec.kind).toBe('map');
    if (spec.kind !== 'map') return;
    expect(spec.data.map((d) => [d.label, d.value])).toEqual([['甲镇', 3], ['乙区', 1]]);
    const [a, b] = spec.data;
    // 0.1° of latitude ≈ 11.13 km; 0.2° of longitude at 41.05° ≈ 16.8 km
    expect(b.y - a.y).toBeCloseTo(11.132, 2);
    expect(b.x - a.x).toBeCloseTo(0.2 * 111.32 * Math.cos((41.05 * Math.PI) / 180), 2);
    expect(a.x + b.x).toBeCloseTo(0, 6);
  });

  it('gives both axes the same kilometres per pixel whatever the plot\'s shape, every point inside', () => {
    const pts = [{ x: -10, y: -2 }, { x: 10, y: 2 }, { x: 0, y: 5 }];
    for (const [w, h] of [[340, 224], [560, 224], [200, 400]]) {
      const d = mapDomains(pts, w, h);
      expect((d.x.max - d.x.min) / w).toBeCloseTo((d.y.max - d.y.min) / h, 9);
      for (const p of pts) {
        expect(p.x).toBeGreaterThan(d.x.min);
        expect(p.x).toBeLessThan(d.x.max);
        expect(p.y).toBeGreaterThan(d.y.min);
        expect(p.y).toBeLessThan(d.y.max);
      }
    }
    const one = mapDomains([{ x: 0, y: 0 }], 300, 200);
    expect(one.x.max - one.x.min).toBeGreaterThan(0);
    expect(one.y.max - one.y.min).toBeGreaterThan(0);
  });
});
