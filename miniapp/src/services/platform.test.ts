import { districtSetupBody, validateDistrictSetup, type DistrictForm } from './platform';

const ok: DistrictForm = { code: '211103', name: '兴隆台区', cityName: '盘锦市', adminName: '张三', adminPhone: '13800000000' };

describe('district setup form', () => {
  it('accepts a county code, a name and an admin phone', () => {
    expect(validateDistrictSetup(ok)).toEqual({});
    expect(districtSetupBody({ ...ok, cityName: ' ' })).toEqual({ code: '211103', name: '兴隆台区', admin: { name: '张三', phone: '13800000000' } });
  });
  it.each([
    ['211100', 'code'], ['990101', 'code'], ['2111', 'code'],
  ])('refuses the code %s', (code, field) => {
    expect(validateDistrictSetup({ ...ok, code })).toHaveProperty(field);
  });
  it('refuses a missing name, admin and a bad phone, each on its field', () => {
    expect(Object.keys(validateDistrictSetup({ ...ok, name: '', adminName: ' ', adminPhone: '12345' })).sort()).toEqual(['adminName', 'adminPhone', 'name']);
  });
});
