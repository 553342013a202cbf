/**
 * The platform operator's API (opening districts) and the rules its form shows. Only a platform-scoped account may
 * call it; district people never see these screens.
 */
import type { Static } from '@sinclair/typebox';
import type { DistrictSetup, DistrictSetupResult as DistrictSetupResultSchema, PlatformDistrict as PlatformDistrictSchema } from '@guanjia/shared/schemas/platform';
import { divisionLevel, isDivisionCode } from '@guanjia/shared/org/division-code';
import type { HttpClient } from './http';

export type PlatformDistrict = Static<typeof PlatformDistrictSchema>;
export type DistrictSetupResult = Static<typeof DistrictSetupResultSchema>;
export type DistrictForm = { code: string; name: string; cityName: string; adminName: string; adminPhone: string };

export function createPlatformApi(http: HttpClient) {
  return {
    districts: (cursor?: string) => http.get<{ items: PlatformDistrict[]; nextCursor: string | null }>('/platform/districts', { limit: 50, ...(cursor ? { cursor } : {}) }),
    setupDistrict: (body: Static<typeof DistrictSetup>) => http.post<DistrictSetupResult>('/platform/districts', body),
  };
}

/** Field problems of the district form, in Chinese; empty when it may be sent. */
export function validateDistrictSetup(f: DistrictForm): Record<string, string> {
  const e: Record<string, string> = {};
  const code = f.code.trim();
  if (!isDivisionCode(code) || divisionLevel(code) !== 'county') e.code = '请输入区县级行政区划代码（6 位，末两位不为 00）';
  if (f.name.trim().length < 2) e.name = '请输入区县名称';
  if (f.cityName.trim() && f.cityName.trim().length < 2) e.cityName = '市名称至少 2 个字';
  if (!f.adminName.trim()) e.adminName = '请输入管理员姓名';
  if (!/^1[3-9]\d{9}$/.test(f.adminPhone.trim())) e.adminPhone = '请输入 11 位手机号';
  return e;
}

/** The request body of a valid form. */
export function districtSetupBody(f: DistrictForm): Static<typeof DistrictSetup> {
  return {
    code: f.code.trim(), name: f.name.trim(), ...(f.cityName.trim() ? { cityName: f.cityName.trim() } : {}),
    admin: { name: f.adminName.trim(), phone: f.adminPhone.trim() },
  };
}
