import type { Visit, VisitProblem } from '@guanjia/shared';

/** Row shape VISIT_SELECT produces (snake_case, joined names). */
export type VisitRow = {
  id: string; district_id: string; kind: Visit['kind']; status: Visit['status']; steward_id: string; steward_name: string;
  enterprise_id: string; enterprise_name: string; enterprise_lat: number | null; enterprise_lng: number | null; area_id: string; area_name: string;
  occurred_at: Date; notes: string | null; problems: VisitProblem[]; off_assignment: boolean;
  checkin_at: Date | null; checkin_lat: number | null; checkin_lng: number | null; checkin_accuracy_m: number | null;
  checkin_datum: string | null; checkin_photo_id: string | null; distance_m: number | null; fence_radius_m: number | null;
  inside_fence: boolean | null; checkout_at: Date | null; checkout_lat: number | null; checkout_lng: number | null;
  checkout_accuracy_m: number | null; flags: Visit['flags']; flag_details: Record<string, unknown>;
  reviewed_by: string | null; reviewer_name: string | null; reviewed_at: Date | null; review_note: string | null;
  location_purged_at: Date | null; version: number; created_at: Date;
};

export const VISIT_SELECT = `v.id, v.district_id, v.kind, v.status, v.steward_id, st.name AS steward_name, v.enterprise_id, e.name AS enterprise_name,
  e.lat AS enterprise_lat, e.lng AS enterprise_lng, e.area_id, a.name AS area_name, v.occurred_at, v.notes, v.problems, v.off_assignment,
  v.checkin_at, v.checkin_lat, v.checkin_lng, v.checkin_accuracy_m, v.checkin_datum, v.checkin_photo_id, v.distance_m, v.fence_radius_m,
  v.inside_fence, v.checkout_at, v.checkout_lat, v.checkout_lng, v.checkout_accuracy_m, v.flags, v.flag_details,
  v.reviewed_by, rv.name AS reviewer_name, v.reviewed_at, v.review_note, v.location_purged_at, v.version, v.created_at`;

export const VISIT_FROM = `visit v JOIN person st ON st.id = v.steward_id JOIN enterprise e ON e.id = v.enterprise_id
  JOIN area a ON a.id = e.area_id LEFT JOIN person rv ON rv.id = v.reviewed_by`;

/**
 * How much of a visit the caller may see:
 * - `full`: the steward who made it and district-wide roles — locations, photo, flags (location reads by others are logged);
 * - `enterprise`: the visited enterprise's contacts — that the visit happened and the problems recorded, nothing about
 *   where the steward was, the photo, the notes or the supervision flags.
 */
export type VisitView = 'full' | 'enterprise';

/** A 诉求 raised from a visit (ticket.source_visit_id). */
export type LinkedTicket = { id: string; no: string; title: string; state: string };

const iso = (d: Date | null) => (d === null ? null : new Date(d).toISOString());
const point = (lat: number | null, lng: number | null, acc: number | null) =>
  lat === null || lng === null ? null : { lat, lng, datum: 'wgs84' as const, accuracyM: acc };

/** True when the row carries a coordinate the caller would receive (what the access log records). */
export const hasLocation = (r: VisitRow) => r.checkin_lat !== null || r.checkout_lat !== null;

/** The only path from a visit row to JSON. */
export function presentVisit(r: VisitRow, view: VisitView, tickets: LinkedTicket[] = []): Visit {
  const full = view === 'full';
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    steward: { id: r.steward_id, name: r.steward_name },
    enterprise: {
      id: r.enterprise_id, name: r.enterprise_name, area: { id: r.area_id, name: r.area_name },
      // The fence's centre, for drawing a check-in against it (issue 13); the enterprise's contacts do not need it.
      ...(full ? { location: r.enterprise_lat === null || r.enterprise_lng === null ? null : { lat: Number(r.enterprise_lat), lng: Number(r.enterprise_lng) } } : {}),
    },
    occurredAt: new Date(r.occurred_at).toISOString(),
    notes: full ? r.notes : null,
    problems: r.problems.map((p) => ({ description: p.description, category: p.category ?? null })),
    offAssignment: full ? r.off_assignment : false,
    checkIn: r.checkin_at === null ? null : {
      at: new Date(r.checkin_at).toISOString(),
      location: full ? point(r.checkin_lat, r.checkin_lng, r.checkin_accuracy_m) : null,
      reportedDatum: full ? r.checkin_datum : null,
      distanceM: full ? r.distance_m : null,
      fenceRadiusM: full ? r.fence_radius_m : null,
      insideFence: full ? r.inside_fence : null,
      photoId: full ? r.checkin_photo_id : null,
    },
    checkOut: r.checkout_at === null ? null : {
      at: new Date(r.checkout_at).toISOString(),
      location: full ? point(r.checkout_lat, r.checkout_lng, r.checkout_accuracy_m) : null,
    },
    flags: full ? r.flags : [],
    flagDetails: full ? r.flag_details : {},
    review: full && r.reviewed_by && r.reviewed_at
      ? { by: { id: r.reviewed_by, name: r.reviewer_name ?? '' }, at: iso(r.reviewed_at)!, note: r.review_note }
      : null,
    tickets,
    locationPurged: r.location_purged_at !== null,
    version: r.version,
    createdAt: new Date(r.created_at).toISOString(),
  };
}
