import type { DataSource } from 'typeorm';
import { SETUP_ITEMS, SETUP_ITEM_INFO, setupItemDone, type SetupChecklist, type SetupItem } from '@guanjia/shared';
import { AppError } from '../../lib/app-error';
import { todayInChina } from '../../lib/time';

/**
 * The setup checklist of the caller's district: one statement counts every item (each count reads an index of its
 * own table by district), the shared table says what is done and which screen fixes it.
 */
export async function setupChecklist(db: Pick<DataSource, 'query'>, districtId: string): Promise<SetupChecklist> {
  const year = Number(todayInChina().slice(0, 4));
  const [r] = await db.query(
    `SELECT d.code, d.name,
       (SELECT count(*) FROM area WHERE district_id = d.id)::int AS areas,
       (SELECT count(*) FROM department WHERE district_id = d.id AND active)::int AS departments,
       (SELECT count(*) FROM ticket_category WHERE district_id = d.id AND active)::int AS categories,
       (SELECT count(*) FROM routing_rule WHERE district_id = d.id AND active)::int AS "routingRules",
       (SELECT count(*) FROM calendar_year WHERE year = $2)::int AS "calendarYear",
       (SELECT count(*) FROM person WHERE district_id = d.id AND NOT disabled AND roles && ARRAY['steward','department','leader']::text[])::int AS people,
       (SELECT count(*) FROM enterprise WHERE district_id = d.id)::int AS enterprises,
       (SELECT count(*) FROM assignment WHERE district_id = d.id AND ends_on IS NULL)::int AS assignments
     FROM district d WHERE d.id = $1`,
    [districtId, year],
  );
  if (!r) throw new AppError('NOT_FOUND');
  const items = SETUP_ITEMS.map((key: SetupItem) => {
    const info = SETUP_ITEM_INFO[key];
    const count = r[key] as number;
    return { key, label: info.label, hint: info.hint, count, done: setupItemDone(key, count), page: info.page, defaults: info.defaults };
  });
  return { district: { code: r.code, name: r.name }, year, items, done: items.every((i) => i.done) };
}
