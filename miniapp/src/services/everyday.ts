import type { Static } from '@sinclair/typebox';
import type { MySteward, ReplyTemplate, StewardRatings, StewardSettings } from '@guanjia/shared/schemas/everyday';
import type { ExtensionPreviewSchema, TicketDetail } from '@guanjia/shared/schemas/tickets';
import type { IndicatorSummary } from '@guanjia/shared/schemas/stats';
import type { HttpClient } from './http';

/**
 * Issue 13, each role's everyday tools: 催办 and the extension preview on a ticket, 联系管家 and the steward's
 * consent, the ratings enterprises gave a steward, a department's 常用语 and its own figures.
 */
export type ExtensionPreview = Static<typeof ExtensionPreviewSchema>;
export type DepartmentFigures = { from: string; to: string; overdue: number; replyOnTimeRate: number | null; satisfactionRate: number | null; received: number };

/** 1 January of the Shanghai year of `now` and today (YYYY-MM-DD): the year-to-date period of the department's figures. */
export function yearToDate(now: Date = new Date()): { from: string; to: string } {
  const today = new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  return { from: `${today.slice(0, 4)}-01-01`, to: today };
}

/** A rate for people: "92.5%", or "—" when there is nothing to rate yet. */
export function rateText(r: number | null | undefined): string {
  return r === null || r === undefined ? '—' : `${r}%`;
}

/** Adds a 常用语 to what is typed: on its own line after the text, or alone in an empty field. */
export function insertTemplate(current: string, template: string): string {
  const t = current.replace(/\s+$/, '');
  return t ? `${t}\n${template}` : template;
}

export function createEverydayService(http: HttpClient) {
  return {
    urge(id: string, note: string | undefined, idempotencyKey: string) {
      return http.post<TicketDetail>(`/tickets/${encodeURIComponent(id)}/urge`, note ? { note } : {}, { idempotencyKey });
    },
    extensionPreview(id: string, days: number) {
      return http.get<ExtensionPreview>(`/tickets/${encodeURIComponent(id)}/extension-preview`, { days });
    },
    mySteward() {
      return http.get<MySteward>('/my-steward');
    },
    stewardSettings() {
      return http.get<StewardSettings>('/steward-settings');
    },
    putStewardSettings(b: StewardSettings) {
      return http.put<StewardSettings>('/steward-settings', b);
    },
    stewardRatings(id: string) {
      return http.get<StewardRatings>(`/stewards/${encodeURIComponent(id)}/ratings`);
    },
    async templates() {
      return (await http.get<{ items: ReplyTemplate[] }>('/reply-templates')).items;
    },
    createTemplate(text: string) {
      return http.post<ReplyTemplate>('/reply-templates', { text });
    },
    updateTemplate(id: string, text: string, version: number) {
      return http.put<ReplyTemplate>(`/reply-templates/${encodeURIComponent(id)}`, { text, version });
    },
    deleteTemplate(id: string) {
      return http.delete<void>(`/reply-templates/${encodeURIComponent(id)}`);
    },
    /** The department's own figures from the indicators (docs/metrics.md): year to date, its tickets as 主办. */
    async departmentFigures(departmentId: string, now: Date = new Date()): Promise<DepartmentFigures> {
      const p = yearToDate(now);
      const s = await http.get<IndicatorSummary>('/stats/summary', { ...p, scope: 'department', scopeId: departmentId });
      const tk = s.tickets;
      return { ...p, overdue: tk.overdue, received: tk.received, replyOnTimeRate: tk.replyOnTimeRate, satisfactionRate: tk.satisfactionRate };
    },
  };
}
