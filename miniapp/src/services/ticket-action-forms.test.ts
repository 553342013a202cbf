import '../test-support/typebox-formats';
import { Value } from '@sinclair/typebox/value';
import { TICKET_ACTIONS, TicketActionBodies, type TicketAction } from '@guanjia/shared';
import { ApiError } from './api-error';
import { actionBody, actionContext, actionForm, initialValues, placeErrors, validateAction, type ActionContext, type ActionValues, type FieldSpec } from './ticket-action-forms';

const ID = (n: number) => `3f1c2d4e-0000-4000-8000-00000000000${n}`;
const ctx: ActionContext = { state: 'in_progress', escalationLevel: 1, extensionDaysGranted: 0 };
const ACTIONS = TICKET_ACTIONS.filter((a): a is Exclude<TicketAction, 'route'> => a !== 'route');

/** A valid value for each kind of field, as a person would fill it. */
function filled(f: FieldSpec): ActionValues[string] {
  switch (f.kind) {
    case 'textarea': return ' 已联系企业，约定现场查看 ';
    case 'choice': return f.options[0].value;
    case 'rating': return 5;
    case 'days': return 2;
    case 'department': return ID(1);
    case 'departments': return [ID(1), ID(2)];
    case 'ticket': return ID(3);
    case 'attachments': return [{ id: ID(4) }] as never;
  }
}

describe('action forms', () => {
  it.each(ACTIONS)('%s: a filled form sends a body the server schema accepts', (action) => {
    const spec = actionForm(action, ctx);
    const values = Object.fromEntries(spec.fields.map((f) => [f.name, filled(f)]));
    expect(validateAction(spec, values)).toEqual({});
    const body = actionBody(spec, values, 7);
    expect(Value.Check(TicketActionBodies[action], body)).toBe(true);
    expect(body.version).toBe(7);
  });

  it.each(ACTIONS)('%s: an untouched form either is valid as is or names each missing field', (action) => {
    const spec = actionForm(action, ctx);
    const values = initialValues(spec);
    const errors = validateAction(spec, values);
    if (Object.keys(errors).length === 0) expect(Value.Check(TicketActionBodies[action], actionBody(spec, values, 1))).toBe(true);
    for (const [name, msg] of Object.entries(errors)) {
      expect(spec.fields.map((f) => f.name)).toContain(name);
      expect(msg).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('needs no form for accept and close', () => {
    expect(actionForm('accept', ctx).quick).toBe(true);
    expect(actionForm('close', { ...ctx, state: 'confirmed' }).quick).toBe(true);
    expect(actionForm('reply', ctx).quick).toBe(false);
  });

  it('the 销号 dialog names the verdict the enterprise gave (基本满意 is not 满意)', () => {
    expect(actionForm('close', { ...ctx, state: 'confirmed', verdict: 'basically_satisfied' }).intro).toContain('（基本满意）');
    expect(actionForm('close', { ...ctx, state: 'confirmed', verdict: 'satisfied' }).intro).toContain('（满意）');
    expect(actionForm('close', { ...ctx, state: 'confirmed' }).intro).not.toContain('满意');
  });

  it('offers only the extension days left of the 10 working days', () => {
    const spec = actionForm('request_extension', { ...ctx, extensionDaysGranted: 8 });
    expect(spec.fields[0]).toMatchObject({ kind: 'days', max: 2 });
    expect(validateAction(spec, { days: 3, reason: '原因' })).toEqual({ days: '请选择 1～2 个工作日' });
    const full = actionForm('request_extension', { ...ctx, extensionDaysGranted: 10 });
    expect(validateAction(full, { days: 0, reason: '原因' })).toEqual({ days: '延期已达上限，不能再申请' });
  });

  it('lets the lead department raise one level only, coordinators any higher level', () => {
    const levels = (c: ActionContext) => (actionForm('escalate', c).fields[0] as { options: { value: string }[] }).options.map((o) => o.value);
    expect(levels({ ...ctx, escalationLevel: 2, departmentOnly: true })).toEqual(['3']);
    expect(levels({ ...ctx, escalationLevel: 2 })).toEqual(['3', '4']);
  });

  it('asks whether a withdrawal was voluntary on a withdrawn ticket, for a verdict otherwise', () => {
    const w = actionForm('record_visit', { ...ctx, state: 'withdrawn' });
    expect(actionBody(w, { withdrawalVoluntary: 'no', method: 'phone', note: '' }, 3)).toEqual({ version: 3, withdrawalVoluntary: false, method: 'phone' });
    expect(actionForm('record_visit', { ...ctx, state: 'awaiting_visit' }).fields[0].name).toBe('verdict');
  });

  it('keeps the lead department out of the assisting ones', () => {
    const spec = actionForm('dispatch', ctx);
    expect(actionBody(spec, { leadDepartmentId: ID(1), assistingDepartmentIds: [ID(1), ID(2)], note: '' }, 1)).toEqual({
      version: 1, leadDepartmentId: ID(1), assistingDepartmentIds: [ID(2)],
    });
  });
});

describe('placing server errors', () => {
  it('puts field details and field-bound codes next to the field', () => {
    const detail = new ApiError('VALIDATION_FAILED', '提交的信息有误', 400, [{ field: 'attachmentIds.0', path: '/body/attachmentIds/0', message: '附件不存在' }]);
    expect(placeErrors(detail, ['text', 'attachments'], 'x')).toEqual({ fields: { attachments: '附件不存在' } });
    const code = new ApiError('EXTENSION_TOO_LONG', '延期累计不能超过10个工作日', 400);
    expect(placeErrors(code, ['days', 'reason'], 'x')).toEqual({ fields: { days: '延期累计不能超过10个工作日' } });
  });

  it('shows anything else for the whole form, in Chinese', () => {
    const conflict = new ApiError('VERSION_CONFLICT', '诉求已被他人更新，请刷新后重试', 409);
    expect(placeErrors(conflict, ['text'], 'x')).toEqual({ fields: {}, form: '诉求已被他人更新，请刷新后重试' });
    expect(placeErrors(new Error('boom'), ['text'], '提交失败')).toEqual({ fields: {}, form: '提交失败' });
  });
});

describe('what a form answers to', () => {
  const t = {
    timeline: [{ action: 'request_info', note: '请提供名单', seq: 3 }, { action: 'request_info', note: '请提供合同', seq: 6 }, { action: 'add_note', note: 'x', seq: 7 }],
    reply: { outcome: 'partly_solved', text: '已协调 10 名' },
    pendingExtension: { days: 3, reason: '需现场勘验' },
  };
  it('quotes the latest question, the reply or the extension asked', () => {
    expect(actionContext('provide_info', t)).toBe('部门请您补充：请提供合同');
    expect(actionContext('confirm', t)).toBe('部门答复（部分解决）：已协调 10 名');
    expect(actionContext('reject_extension', t)).toBe('申请延期 3 个工作日：需现场勘验');
    expect(actionContext('reply', t)).toBeUndefined();
  });
});
