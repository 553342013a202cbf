import type { DataSource } from 'typeorm';
import { createTestApp, type TestApp } from './helper';
import { auth, seedDistrict, type ScopedPerson, type SeedPerson } from './factories';
import { seedDefaultCategories } from '../src/modules/tickets/config/category.service';

/**
 * A district ready for 诉求: the default category tree and two routing rules —
 * 人才用工 (any area) → the first department (人社局), 融资信贷 → the second (金融办) with the first assisting.
 * Other categories have no rule, so their tickets wait in the dispatch queue.
 */
export async function seedTicketWorld(db: DataSource, code?: string) {
  const w = await seedDistrict(db, code);
  await seedDefaultCategories(db, w.districtId);
  const rows: { id: string; name: string; parent: string | null }[] = await db.query(
    `SELECT c.id, c.name, p.name AS parent FROM ticket_category c LEFT JOIN ticket_category p ON p.id = c.parent_id WHERE c.district_id = $1`,
    [w.districtId],
  );
  const byName = new Map(rows.map((r) => [r.parent ? `${r.parent}/${r.name}` : r.name, r.id]));
  /** Category id by name: '人才用工' or '人才用工/招工用工'. */
  const cat = (name: string) => {
    const id = byName.get(name);
    if (!id) throw new Error(`no category ${name}`);
    return id;
  };
  const [hr] = await db.query(
    `INSERT INTO routing_rule (district_id, category_id, lead_department_id) VALUES ($1,$2,$3) RETURNING id`,
    [w.districtId, cat('人才用工'), w.departments[0]],
  );
  const [fin] = await db.query(
    `INSERT INTO routing_rule (district_id, category_id, lead_department_id, assisting_department_ids) VALUES ($1,$2,$3,$4) RETURNING id`,
    [w.districtId, cat('融资信贷'), w.departments[1], [w.departments[0]]],
  );
  return { ...w, cat, rules: { hr: hr.id as string, finance: fin.id as string } };
}

export type TicketWorld = Awaited<ReturnType<typeof seedTicketWorld>>;

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** `app.inject` as a person, JSON in and out. */
export function apiAs(t: TestApp) {
  return (method: Method, url: string, who: SeedPerson | ScopedPerson, payload?: object, headers: Record<string, string> = {}) =>
    t.app.inject({ method, url: `/api/v1${url}`, headers: { ...auth(t.app, who), ...headers }, payload });
}

/** The usual fixture of an access test: a test app, our district and another one, and `api` as anyone. */
export async function twoTicketWorlds(ours: string, theirs: string): Promise<{ t: TestApp; w: TicketWorld; other: TicketWorld; api: ReturnType<typeof apiAs> }> {
  const t = await createTestApp();
  return { t, w: await seedTicketWorld(t.db, ours), other: await seedTicketWorld(t.db, theirs), api: apiAs(t) };
}

/** Files a ticket through the API and returns its detail (throws on a non-201). */
export async function fileTicket(t: TestApp, who: SeedPerson, body: Record<string, unknown>) {
  const res = await apiAs(t)('POST', '/tickets', who, { title: '招工难，急需电焊工', description: '企业扩产，急需招聘熟练电焊工20名，本地招聘困难。', ...body });
  if (res.statusCode !== 201) throw new Error(`file ticket: ${res.statusCode} ${res.body}`);
  return res.json();
}
