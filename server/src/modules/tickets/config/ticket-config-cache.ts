import { shanghaiDate, type CategoryParents, type TicketSettings } from '@guanjia/shared';
import { loadWorkCalendar, type LoadedCalendar } from '../../calendar/calendar.service';
import { DEFAULT_TICKET_SETTINGS } from '../lifecycle/deadlines';
import { loadRoutingRows, type RuleRow } from './routing.service';
import type { Queryable } from '../../../lib/sql';


/** What filing a 诉求 reads of a district's configuration: rules, categories with their limits, settings. */
export type TicketConfig = {
  rules: RuleRow[];
  parents: CategoryParents;
  /** every category with whether it is active and the limits a ticket of it gets (own, else parent's, else district's) */
  categories: Map<string, { active: boolean; limits: TicketSettings }>;
  settings: TicketSettings;
};

/**
 * Per-process caches of rarely changing configuration, validated by `config_version` (a counter that triggers on
 * routing_rule, ticket_category, department, district and the calendar tables bump in the writer's transaction).
 * A caller passes the version it read — usually as a sub-select of a query it runs anyway — and gets the cached
 * value only if it was loaded at that version; so a change applies at once on every instance, with no TTL and no
 * extra round trip (docs/benchmarks.md: creation re-read rules, categories, settings and the calendar on every call).
 */
const configs = new Map<string, { version: string; value: TicketConfig }>();
const calendars = new Map<string, { version: string; value: LoadedCalendar }>();
const MAX_ENTRIES = 1000;

function remember<T>(m: Map<string, { version: string; value: T }>, key: string, version: string, value: T): T {
  if (m.size >= MAX_ENTRIES) m.clear(); // districts × years stay far below this; a bound against surprises
  m.set(key, { version, value });
  return value;
}

/** The SQL of the current configuration version, to embed as a sub-select (`… AS cfg`). */
export const CONFIG_VERSION_SQL = `(SELECT n::text FROM config_version WHERE id = 1)`;

/** The district's ticket configuration as of `version`, from the cache when it was loaded at that version. */
export async function ticketConfig(db: Queryable, districtId: string, version: string): Promise<TicketConfig> {
  const hit = configs.get(districtId);
  if (hit && hit.version === version) return hit.value;
  const rules = await loadRoutingRows(db, districtId);
  const cats: { id: string; parent_id: string | null; active: boolean; accept_days: number | null; reply_days: number | null; urgent_reply_days: number | null }[] =
    await db.query(`SELECT id, parent_id, active, accept_days, reply_days, urgent_reply_days FROM ticket_category WHERE district_id = $1`, [districtId]);
  const [d] = await db.query(`SELECT settings -> 'tickets' AS t FROM district WHERE id = $1`, [districtId]);
  const settings: TicketSettings = { ...DEFAULT_TICKET_SETTINGS, ...((d?.t as Partial<TicketSettings> | null) ?? {}) };
  const byId = new Map(cats.map((c) => [c.id, c]));
  const categories = new Map(cats.map((c) => {
    const p = c.parent_id ? byId.get(c.parent_id) : undefined;
    return [c.id, {
      active: c.active,
      limits: {
        acceptDays: c.accept_days ?? p?.accept_days ?? settings.acceptDays,
        replyDays: c.reply_days ?? p?.reply_days ?? settings.replyDays,
        urgentReplyDays: c.urgent_reply_days ?? p?.urgent_reply_days ?? settings.urgentReplyDays,
      },
    }];
  }));
  const parents: CategoryParents = new Map(cats.map((c) => [c.id, c.parent_id]));
  return remember(configs, districtId, version, { rules, parents, categories, settings });
}

/** The district's working-day calendar (national schedule + its local days) around `at`, as of `version`. */
export async function cachedWorkCalendar(db: Queryable, districtId: string, at: Date, version: string): Promise<LoadedCalendar> {
  const year = shanghaiDate(at).slice(0, 4);
  const key = `${districtId}:${year}`;
  const hit = calendars.get(key);
  if (hit && hit.version === version) return hit.value;
  return remember(calendars, key, version, await loadWorkCalendar(db, `${year}-07-01`, districtId));
}
