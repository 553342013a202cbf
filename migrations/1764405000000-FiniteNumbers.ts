import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Coordinates and accuracies must be finite and in range (docs/security.md). PostgreSQL's double precision and real accept
 * 'Infinity' and 'NaN'; an `accuracyM: "Infinity"` slipped through validation once, was stored, and every visit read of
 * the district failed after it. Validation now refuses non-finite numbers (server/src/lib/validation.ts); these
 * CHECKs make the database refuse them too (23514 → 400). Rows already poisoned lose the bad value (set to NULL:
 * unknown accuracy, unknown point), which is what the reads can present; there is no way back to a meaningless number,
 * so `down` only drops the constraints.
 */
export class FiniteNumbers1764405000000 implements MigrationInterface {
  name = 'FiniteNumbers1764405000000';

  async up(q: QueryRunner): Promise<void> {
    // NaN sorts above every number in PostgreSQL, so `< 'Infinity'` refuses both NaN and ±Infinity.
    const accuracy = (col: string) => `(${col} IS NULL OR (${col} >= 0 AND ${col} < 'Infinity'::real))`;
    const point = (lat: string, lng: string) => `(${lat} IS NULL OR (${lat} BETWEEN -90 AND 90 AND ${lng} BETWEEN -180 AND 180))`;

    await q.query(`UPDATE visit SET checkin_accuracy_m = NULL WHERE NOT ${accuracy('checkin_accuracy_m')}`);
    await q.query(`UPDATE visit SET checkout_accuracy_m = NULL WHERE NOT ${accuracy('checkout_accuracy_m')}`);
    await q.query(`UPDATE visit SET checkin_lat = NULL, checkin_lng = NULL WHERE NOT ${point('checkin_lat', 'checkin_lng')}`);
    await q.query(`UPDATE visit SET checkout_lat = NULL, checkout_lng = NULL WHERE NOT ${point('checkout_lat', 'checkout_lng')}`);
    await q.query(`UPDATE enterprise_location_proposal SET accuracy_m = NULL WHERE NOT ${accuracy('accuracy_m')}`);
    await q.query(`UPDATE enterprise_location_proposal SET lat = NULL, lng = NULL WHERE NOT ${point('lat', 'lng')}`);
    await q.query(`UPDATE enterprise SET lat = NULL, lng = NULL, location_confirmed = false WHERE NOT ${point('lat', 'lng')}`);

    await q.query(`ALTER TABLE visit ADD CONSTRAINT ck_visit_checkin_finite CHECK (${point('checkin_lat', 'checkin_lng')} AND ${accuracy('checkin_accuracy_m')})`);
    await q.query(`ALTER TABLE visit ADD CONSTRAINT ck_visit_checkout_finite CHECK (${point('checkout_lat', 'checkout_lng')} AND ${accuracy('checkout_accuracy_m')})`);
    await q.query(`ALTER TABLE enterprise_location_proposal ADD CONSTRAINT ck_location_proposal_finite CHECK (${point('lat', 'lng')} AND ${accuracy('accuracy_m')})`);
    await q.query(`ALTER TABLE enterprise ADD CONSTRAINT ck_enterprise_location_finite CHECK (${point('lat', 'lng')})`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE enterprise DROP CONSTRAINT IF EXISTS ck_enterprise_location_finite`);
    await q.query(`ALTER TABLE enterprise_location_proposal DROP CONSTRAINT IF EXISTS ck_location_proposal_finite`);
    await q.query(`ALTER TABLE visit DROP CONSTRAINT IF EXISTS ck_visit_checkout_finite`);
    await q.query(`ALTER TABLE visit DROP CONSTRAINT IF EXISTS ck_visit_checkin_finite`);
  }
}
