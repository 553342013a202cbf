import * as labels from './labels';
import { TICKET_STATES } from './ticket/ticket-machine';

describe('the one label table', () => {
  it('labels every ticket state and every table in Chinese', () => {
    for (const s of TICKET_STATES) expect(labels.TICKET_STATE_LABELS[s]).toMatch(/[\u4e00-\u9fa5]/);
    for (const [name, table] of Object.entries(labels)) {
      if (name === 'KNOWN_CODES' || name === 'PROJECT_LABELS' || typeof table !== 'object') continue;
      for (const v of Object.values(table as Record<string, string>)) expect(`${name}: ${v}`).toMatch(/[\u4e00-\u9fa5]/);
    }
  });

  it('lists the codes a screen must not show', () => {
    expect(labels.KNOWN_CODES).toEqual(expect.arrayContaining(['pending_dispatch', 'overdue', 'manual', 'basically_satisfied', 'outside_fence', 'special_bond']));
    expect(labels.KNOWN_CODES.every((c) => /^[a-z][a-z_-]+$/.test(c))).toBe(true);
  });

  it('keeps the old imports working (re-exports of the same tables)', async () => {
    const machine = await import('./ticket/ticket-machine');
    const roles = await import('./roles');
    const cadence = await import('./visit/cadence');
    expect(machine.TICKET_STATE_LABELS).toBe(labels.TICKET_STATE_LABELS);
    expect(roles.ROLE_LABELS).toBe(labels.ROLE_LABELS);
    expect(cadence.PLAUSIBILITY_FLAG_LABELS).toBe(labels.PLAUSIBILITY_FLAG_LABELS);
  });
});
