/**
 * How times, dates and distances read on screen: Beijing time whatever the phone's time zone, Chinese units.
 * Pure, so lists and their unit tests agree on every caption.
 */
import { SHANGHAI_OFFSET_MS, shanghaiDate } from '@guanjia/shared/calendar/shanghai-time';

const pad = (n: number) => String(n).padStart(2, '0');

function shanghaiParts(iso: string | Date): { y: number; m: number; d: number; hh: number; mm: number } | null {
  const t = typeof iso === 'string' ? Date.parse(iso) : iso.getTime();
  if (Number.isNaN(t)) return null;
  const s = new Date(t + SHANGHAI_OFFSET_MS);
  return { y: s.getUTCFullYear(), m: s.getUTCMonth() + 1, d: s.getUTCDate(), hh: s.getUTCHours(), mm: s.getUTCMinutes() };
}

/**
 * `2026-11-25 09:05` in Beijing time; the year is left out when it is the current one (`11-25 09:05`), as
 * WeChat does. An empty or unreadable value gives `—`.
 */
export function formatDateTime(iso: string | Date | null | undefined, now: Date = new Date()): string {
  if (!iso) return '—';
  const p = shanghaiParts(iso);
  if (!p) return '—';
  const sameYear = shanghaiDate(now).slice(0, 4) === String(p.y);
  return `${sameYear ? '' : `${p.y}-`}${pad(p.m)}-${pad(p.d)} ${pad(p.hh)}:${pad(p.mm)}`;
}

/** `2026-11-25` in Beijing time (or `—`). */
export function formatDate(iso: string | Date | null | undefined): string {
  if (!iso) return '—';
  const p = shanghaiParts(iso);
  return p ? `${p.y}-${pad(p.m)}-${pad(p.d)}` : '—';
}

/** `86 米`, `1.2 公里`: a distance as a person reads it. */
export function formatDistance(meters: number | null | undefined): string {
  if (meters === null || meters === undefined || !Number.isFinite(meters)) return '—';
  if (meters < 1000) return `${Math.round(meters)} 米`;
  return `${(meters / 1000).toFixed(meters < 10_000 ? 1 : 0)} 公里`;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * A deadline relative to now: `剩余 3 天`, `剩余 5 小时`, `已超期 2 天`, `已超期 40 分钟`. Calendar time, for a
 * glance; the server's working-day deadline is the authority (the list also shows the date).
 */
export function deadlineText(dueIso: string | null | undefined, now: Date = new Date()): string {
  if (!dueIso) return '';
  const due = Date.parse(dueIso);
  if (Number.isNaN(due)) return '';
  const diff = due - now.getTime();
  const abs = Math.abs(diff);
  const span = abs >= DAY ? `${Math.floor(abs / DAY)} 天` : abs >= HOUR ? `${Math.floor(abs / HOUR)} 小时` : `${Math.max(1, Math.floor(abs / 60_000))} 分钟`;
  return diff >= 0 ? `剩余 ${span}` : `已超期 ${span}`;
}

/** Today's Beijing date as `YYYY-MM-DD` (for date fields' defaults and limits). */
export function todayInShanghai(now: Date = new Date()): string {
  return shanghaiDate(now);
}
