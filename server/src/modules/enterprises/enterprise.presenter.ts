import type { Enterprise as EnterpriseDto } from '@guanjia/shared';
import { maskPhone } from '../../lib/mask';

/** Row shape the enterprise queries select (snake_case, joined area name). */
export type EnterpriseRow = {
  id: string; name: string; credit_code: string; area_id: string; area_name: string; address: string | null;
  lat: number | null; lng: number | null; location_confirmed: boolean; industry: string | null; scale: 'above' | 'below';
  tags: string[]; contact_name: string | null; contact_phone: string | null; version: number; created_at: Date;
};

export const ENTERPRISE_SELECT = `e.id, e.name, e.credit_code, e.area_id, a.name AS area_name, e.address, e.lat, e.lng, e.location_confirmed,
  e.industry, e.scale, e.tags, e.contact_name, e.contact_phone, e.version, e.created_at`;

/** The only path from an enterprise row to JSON; `fullPhone` is decided by the caller's relation to it. */
export function presentEnterprise(r: EnterpriseRow, fullPhone: boolean): EnterpriseDto {
  return {
    id: r.id,
    name: r.name,
    creditCode: r.credit_code,
    area: { id: r.area_id, name: r.area_name },
    address: r.address,
    location: r.lat === null || r.lng === null ? null : { lat: r.lat, lng: r.lng, datum: 'wgs84', confirmed: r.location_confirmed },
    industry: r.industry,
    scale: r.scale,
    tags: r.tags,
    contactName: r.contact_name,
    contactPhone: fullPhone ? r.contact_phone : maskPhone(r.contact_phone),
    version: r.version,
    createdAt: new Date(r.created_at).toISOString(),
  };
}
