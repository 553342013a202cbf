import { ACTIONABLE_NOTIFICATION_KINDS, settledNote, settledNotificationKinds, supervisionEffect } from './work-settlement';

describe('what a step settles', () => {
  it.each([
    ['confirm', 'confirmed', ['ticket.reply']],
    ['accept', 'accepted', ['ticket.assigned', 'ticket.dispatch', 'ticket.reassign', 'ticket.urge']],
    ['reply', 'replied', ['ticket.provide_info', 'ticket.urge']],
    ['close', 'closed', ACTIONABLE_NOTIFICATION_KINDS],
    ['withdraw', 'withdrawn', ACTIONABLE_NOTIFICATION_KINDS],
    ['add_note', 'in_progress', []],
    ['approve_extension', 'in_progress', ['ticket.request_extension']],
  ] as const)('%s → %s settles %j', (action, next, kinds) => {
    expect(settledNotificationKinds(action, next)).toEqual(kinds);
  });

  it('says who did what', () => {
    expect(settledNote('confirm', '李四')).toBe('已由李四确认办理结果');
    expect(settledNote('accept', null)).toBe('系统已签收');
  });

  it('moves 督办单 with the ticket', () => {
    expect(supervisionEffect('accept', { state: 'accepted', leadDepartmentId: 'd' })).toEqual({ kind: 'acknowledge' });
    expect(supervisionEffect('return', { state: 'pending_dispatch', leadDepartmentId: null })).toMatchObject({ kind: 'close', reason: expect.stringContaining('退回') });
    expect(supervisionEffect('reassign', { state: 'assigned', leadDepartmentId: 'd2' })).toMatchObject({ kind: 'close', keepDepartmentId: 'd2' });
    expect(supervisionEffect('record_visit', { state: 'closed', leadDepartmentId: 'd' })).toMatchObject({ kind: 'close', reason: expect.stringContaining('销号') });
    expect(supervisionEffect('reply', { state: 'replied', leadDepartmentId: 'd' })).toEqual({ kind: 'none' });
  });
});
