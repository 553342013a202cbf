import type { Attachment } from '@guanjia/shared/schemas/tickets';
import { MAX_EXTENSION_WORKING_DAYS, TICKET_ACTION_LABELS, type TicketAction } from '@guanjia/shared/ticket/ticket-machine';
import { escalationLabel, REPLY_OUTCOME_LABELS, VERDICT_LABELS, VISIT_METHOD_LABELS } from './tickets';
import { isApiError } from './api-error';
import { splitFormErrors } from './form-errors';

/**
 * The small form behind each ticket action button: which fields it asks for, their client checks (the limits of the
 * server's TicketActionBodies) and the body it sends. Pure data and functions, so every action's body is tested
 * against the server schema; the ticket action page only draws what a spec says.
 */

export type Option = { value: string; label: string; hint?: string };

export type FieldSpec =
  | { kind: 'textarea'; name: string; label: string; placeholder: string; required: boolean; max: number }
  | { kind: 'choice'; name: string; label: string; options: Option[]; required: boolean }
  | { kind: 'rating'; name: string; label: string }
  | { kind: 'days'; name: string; label: string; max: number }
  | { kind: 'department'; name: string; label: string; required: boolean }
  | { kind: 'departments'; name: string; label: string }
  | { kind: 'ticket'; name: string; label: string; placeholder: string }
  | { kind: 'attachments'; name: string; label: string; pdf: boolean };

/** An action's form. `quick` actions need no input: a confirmation dialog sends them. */
export type ActionFormSpec = {
  action: Exclude<TicketAction, 'route'>;
  title: string;
  /** One sentence under the title: what happens when it is sent. */
  intro?: string;
  quick: boolean;
  submitText: string;
  fields: FieldSpec[];
  /** Sent as they are with the form's fields (e.g. kind: 'leader_instruction' for a 批示). */
  fixed?: Record<string, string>;
};

export type ActionValues = Record<string, string | number | string[] | Attachment[] | undefined>;

/** What the form needs to know of the ticket. */
export type ActionContext = {
  state: string;
  escalationLevel: number;
  extensionDaysGranted: number;
  /** The caller acts as the lead department only (may raise one level), not as coordinator/leader. */
  departmentOnly?: boolean;
  /** The verdict on the reply, when there is one (the 销号 dialog names it: 满意 or 基本满意). */
  verdict?: 'satisfied' | 'basically_satisfied' | 'dissatisfied' | null;
  /** add_note as a leader's 批示 (issue 13). */
  instruction?: boolean;
  /** The enterprise's steward (confirm: the optional steward rating, issue 13); none → not offered. */
  stewardName?: string | null;
};

const text = (name: string, label: string, placeholder: string, required: boolean, max: number): FieldSpec => ({ kind: 'textarea', name, label, placeholder, required, max });
const files = (pdf: boolean): FieldSpec => ({ kind: 'attachments', name: 'attachments', label: pdf ? '附件（照片或 PDF）' : '照片', pdf });
const opts = <K extends string>(labels: Record<K, string>, hints: Partial<Record<K, string>> = {}): Option[] =>
  (Object.keys(labels) as K[]).map((value) => ({ value, label: labels[value], ...(hints[value] ? { hint: hints[value] } : {}) }));

/** The form of `action` on a ticket in this context. */
export function actionForm(action: Exclude<TicketAction, 'route'>, ctx: ActionContext): ActionFormSpec {
  const base = { action, title: TICKET_ACTION_LABELS[action], quick: false, submitText: `确认${TICKET_ACTION_LABELS[action]}` };
  switch (action) {
    case 'accept':
      return { ...base, quick: true, submitText: '签收', intro: '签收后开始办理，请在答复期限内答复企业。', fields: [] };
    case 'close':
      return {
        ...base, quick: true, submitText: '销号', fields: [],
        intro: `${ctx.verdict ? `企业已确认办理结果（${VERDICT_LABELS[ctx.verdict]}）` : '企业已确认办理结果'}，销号后诉求办结归档。`,
      };
    case 'approve_extension':
      return { ...base, quick: true, submitText: '同意延期', intro: '同意后答复期限按申请的工作日顺延。', fields: [] };
    case 'open_visit':
      return { ...base, quick: true, submitText: '发起回访', intro: '企业未确认办理结果，转入回访。', fields: [] };
    case 'return':
      return { ...base, title: '退回诉求', intro: '不属于本部门职能时退回调度员改派（每件诉求最多退回 2 次）。', fields: [text('reason', '退回原因', '如：该事项属于住建局职能', true, 500)] };
    case 'add_note':
      if (ctx.instruction) {
        return {
          ...base, title: '领导批示', submitText: '提交批示', fixed: { kind: 'leader_instruction' },
          intro: '批示仅内部可见，承办部门和调度员会收到通知，并在办理记录中突出显示。',
          fields: [text('text', '批示内容', '如：请供电公司本周内拿出增容方案，区发改局牵头协调', true, 2000)],
        };
      }
      return {
        ...base, title: '办理进展', submitText: '提交进展',
        fields: [
          { kind: 'choice', name: 'visibility', label: '谁能看到', required: true, options: [{ value: 'public', label: '企业可见' }, { value: 'internal', label: '仅内部可见' }] },
          text('text', '进展内容', '如：已联系企业负责人，约定下周现场查看', true, 2000),
          files(true),
        ],
      };
    case 'request_info':
      return { ...base, title: '请企业补充材料', submitText: '发送给企业', intro: '等待企业补充期间，答复期限暂停计时。', fields: [text('text', '需要补充', '如：请提供用工需求明细和岗位要求', true, 1000)] };
    case 'provide_info':
      return { ...base, title: '补充材料', submitText: '提交补充材料', fields: [text('text', '补充内容', '请按部门的要求补充说明', true, 2000), files(true)] };
    case 'request_extension': {
      const left = Math.max(0, MAX_EXTENSION_WORKING_DAYS - ctx.extensionDaysGranted);
      return {
        ...base, title: '申请延期', submitText: '提交延期申请',
        intro: `累计延期不超过 ${MAX_EXTENSION_WORKING_DAYS} 个工作日，本次最多还可申请 ${left} 个工作日，需调度员同意。`,
        fields: [{ kind: 'days', name: 'days', label: '延长', max: left }, text('reason', '延期原因', '如：需会同自然资源局现场勘验', true, 500)],
      };
    }
    case 'reject_extension':
      return { ...base, title: '不同意延期', submitText: '不同意延期', fields: [text('reason', '理由', '请说明不同意延期的理由', true, 500)] };
    case 'reply':
      return {
        ...base, title: '答复企业', submitText: '提交答复', intro: '答复后由企业确认办理结果。',
        fields: [
          { kind: 'choice', name: 'outcome', label: '办理结果', required: true, options: opts(REPLY_OUTCOME_LABELS, { explained: '不合理或确实无法解决的，写明向企业所作的解释' }) },
          text('text', '答复内容', '写明办理情况和结果', true, 2000),
          files(true),
        ],
      };
    case 'confirm':
      return {
        ...base, title: '评价办理结果', submitText: '提交评价', intro: '选择"不满意"表示问题未解决，诉求将退回部门重新办理。',
        fields: [
          { kind: 'choice', name: 'verdict', label: '您的评价', required: true, options: opts(VERDICT_LABELS, { dissatisfied: '问题未解决，重新办理' }) },
          { kind: 'rating', name: 'rating', label: '服务评分' },
          text('comment', '评价内容', '说说办理的情况（选填）', false, 500),
          // Issue 13: rate the steward who looks after the enterprise (optional).
          ...(ctx.stewardName
            ? [{ kind: 'rating', name: 'stewardRating', label: `为管家${ctx.stewardName}评分（选填）` } as FieldSpec,
              text('stewardComment', '对管家的评价', '管家的服务怎么样（选填）', false, 500)]
            : []),
        ],
      };
    case 'record_visit':
      if (ctx.state === 'withdrawn') {
        return {
          ...base, title: '核实撤回', submitText: '保存回访结果',
          fields: [
            { kind: 'choice', name: 'withdrawalVoluntary', label: '是否自愿撤回', required: true, options: [{ value: 'yes', label: '企业自愿撤回' }, { value: 'no', label: '非企业本意', hint: '撤回作废，重新交办' }] },
            { kind: 'choice', name: 'method', label: '回访方式', required: false, options: opts(VISIT_METHOD_LABELS) },
            text('note', '回访记录', '回访情况（选填）', false, 1000),
          ],
        };
      }
      return {
        ...base, title: '记录回访', submitText: '保存回访结果',
        fields: [
          { kind: 'choice', name: 'verdict', label: '企业评价', required: true, options: opts(VERDICT_LABELS, { dissatisfied: '重新办理' }) },
          { kind: 'choice', name: 'method', label: '回访方式', required: false, options: opts(VISIT_METHOD_LABELS) },
          text('note', '回访记录', '回访情况（选填）', false, 1000),
        ],
      };
    case 'withdraw':
      return { ...base, title: '撤回诉求', submitText: '确认撤回', intro: '撤回后部门将停止办理，调度员可能回访核实。', fields: [text('reason', '撤回原因', '如：问题已自行解决', true, 500)] };
    case 'dispatch':
      return {
        ...base, title: '交办', submitText: '交办',
        fields: [
          { kind: 'department', name: 'leadDepartmentId', label: '主办部门', required: true },
          { kind: 'departments', name: 'assistingDepartmentIds', label: '协办部门' },
          text('note', '交办说明', '选填', false, 500),
        ],
      };
    case 'reassign':
      return {
        ...base, title: '改派', submitText: '改派',
        fields: [
          { kind: 'department', name: 'leadDepartmentId', label: '新主办部门', required: true },
          { kind: 'departments', name: 'assistingDepartmentIds', label: '协办部门' },
          text('reason', '改派原因', '如：原部门退回，职能属于…', true, 500),
        ],
      };
    case 'merge':
      return { ...base, title: '并单', submitText: '并入该诉求', intro: '作为重复诉求并入另一件仍在办理的诉求。', fields: [{ kind: 'ticket', name: 'intoTicketId', label: '并入诉求', placeholder: '输入诉求编号或标题关键字' }] };
    case 'escalate': {
      const levels = [2, 3, 4].filter((l) => l > ctx.escalationLevel && (!ctx.departmentOnly || l === ctx.escalationLevel + 1));
      return {
        ...base, title: '升级', submitText: '确认升级',
        fields: [
          { kind: 'choice', name: 'level', label: '升级到', required: true, options: levels.map((l) => ({ value: String(l), label: `${l}级 · ${escalationLabel(l)}` })) },
          text('reason', '升级原因', '说明为何需要更高层级协调', true, 500),
        ],
      };
    }
    case 'supervise':
      return { ...base, title: '督办', submitText: '下发督办单', intro: '向主办部门下发督办单。', fields: [text('note', '督办要求', '选填', false, 500)] };
  }
}

/** Initial values of a form: empty, except the note's visibility (企业可见). Independent of the ticket, so a draft
 * restored later still fits. */
export function initialValues(spec: ActionFormSpec): ActionValues {
  const v: ActionValues = {};
  for (const f of spec.fields) {
    if (f.kind === 'attachments') v[f.name] = [];
    else if (f.kind === 'departments') v[f.name] = [];
    else if (f.kind === 'rating') v[f.name] = 0;
    else if (f.kind === 'days') v[f.name] = 0; // chosen on purpose: the drafted value must not depend on the ticket
    else if (f.kind === 'choice' && f.name === 'visibility') v[f.name] = 'public';
    else v[f.name] = '';
  }
  return v;
}

/** Client checks: a Chinese message per field name (empty = valid). */
export function validateAction(spec: ActionFormSpec, values: ActionValues): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const f of spec.fields) {
    const v = values[f.name];
    switch (f.kind) {
      case 'textarea': {
        const s = typeof v === 'string' ? v.trim() : '';
        if (f.required && !s) errors[f.name] = `请填写${f.label}`;
        else if (s.length > f.max) errors[f.name] = `${f.label}不能超过 ${f.max} 个字`;
        break;
      }
      case 'choice':
        if (f.required && !v) errors[f.name] = `请选择${f.label}`;
        break;
      case 'days':
        if (f.max < 1) errors[f.name] = '延期已达上限，不能再申请';
        else if (typeof v !== 'number' || v < 1 || v > f.max) errors[f.name] = `请选择 1～${f.max} 个工作日`;
        break;
      case 'department':
      case 'ticket':
        if ((f.kind === 'ticket' || f.required) && !v) errors[f.name] = `请选择${f.label}`;
        break;
      case 'attachments':
        if (Array.isArray(v) && v.length > 9) errors[f.name] = '最多 9 个附件';
        break;
      default:
        break;
    }
  }
  return errors;
}

/** The request body of a validated form: only the schema's keys, texts trimmed, empty optionals left out. */
export function actionBody(spec: ActionFormSpec, values: ActionValues, version: number): Record<string, unknown> {
  const body: Record<string, unknown> = { version, ...(spec.fixed ?? {}) };
  for (const f of spec.fields) {
    const v = values[f.name];
    switch (f.kind) {
      case 'textarea':
        if (typeof v === 'string' && v.trim()) body[f.name] = v.trim();
        break;
      case 'choice':
        if (typeof v !== 'string' || !v) break;
        if (f.name === 'withdrawalVoluntary') body[f.name] = v === 'yes';
        else if (f.name === 'level') body[f.name] = Number(v);
        else body[f.name] = v;
        break;
      case 'rating':
        if (typeof v === 'number' && v >= 1 && v <= 5) body[f.name] = v;
        break;
      case 'days':
        if (typeof v === 'number') body[f.name] = v;
        break;
      case 'department':
      case 'ticket':
        if (typeof v === 'string' && v) body[f.name] = v;
        break;
      case 'departments':
        if (Array.isArray(v) && v.length) body[f.name] = (v as string[]).filter((d) => d !== values.leadDepartmentId);
        break;
      case 'attachments':
        if (Array.isArray(v) && v.length) body.attachmentIds = (v as Attachment[]).map((a) => a.id);
        break;
    }
  }
  return body;
}

/** Errors the server reports without a field path, placed next to the field they concern. */
const CODE_FIELDS: Record<string, string> = {
  TICKET_REASON_REQUIRED: 'reason',
  EXTENSION_TOO_LONG: 'days',
  ATTACHMENT_INVALID: 'attachments',
  ATTACHMENT_TYPE_INVALID: 'attachments',
  ATTACHMENT_TOO_LARGE: 'attachments',
  TICKET_DEPARTMENT_REQUIRED: 'leadDepartmentId',
  TICKET_SAME_DEPARTMENT: 'leadDepartmentId',
  TICKET_MERGE_INVALID: 'intoTicketId',
  ESCALATION_LEVEL_INVALID: 'level',
  TICKET_CATEGORY_INVALID: 'categoryId',
  STEWARD_RATING_NO_STEWARD: 'stewardRating',
};

/**
 * Splits a failed submission into messages under fields (the server's `details`, or a code tied to one field of
 * this form) and one message for the whole form. `attachmentIds` issues go under the attachments field.
 */
export function placeErrors(error: unknown, fieldNames: readonly string[], fallback: string): { fields: Record<string, string>; form?: string } {
  if (!isApiError(error)) return { fields: {}, form: fallback };
  return splitFormErrors(error, fieldNames, { rename: { attachmentIds: 'attachments' }, codes: CODE_FIELDS });
}

/** What the person answers to, shown above the form: the department's question, its reply, the extension asked. */
export function actionContext(
  action: string,
  t: { timeline: { action: string; note: string | null; seq: number }[]; reply: { outcome: string; text: string } | null; pendingExtension: { days: number; reason: string } | null },
): string | undefined {
  if (action === 'provide_info') {
    const asked = [...t.timeline].sort((a, b) => b.seq - a.seq).find((e) => e.action === 'request_info');
    return asked?.note ? `部门请您补充：${asked.note}` : undefined;
  }
  if (action === 'confirm' && t.reply) return `部门答复（${REPLY_OUTCOME_LABELS[t.reply.outcome] ?? ''}）：${t.reply.text}`;
  if ((action === 'approve_extension' || action === 'reject_extension') && t.pendingExtension) {
    return `申请延期 ${t.pendingExtension.days} 个工作日：${t.pendingExtension.reason}`;
  }
  return undefined;
}
