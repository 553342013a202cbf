import { columnWidth, displayWidth, summarizeTimeline, TICKET_LEDGER_COLUMNS, yuanToWanNumber, YES_NO } from './ledger';

describe('ledger cells', () => {
  it('measures Chinese text as two units a character', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('诉求内容')).toBe(8);
    expect(displayWidth('总投资（万元）')).toBe(14);
    expect(displayWidth('A区1号')).toBe(6);
  });

  it('fits every header of the 诉求台账 in its column', () => {
    for (const c of TICKET_LEDGER_COLUMNS) expect(columnWidth(c)).toBeGreaterThanOrEqual(displayWidth(c.header) + 2);
    expect(TICKET_LEDGER_COLUMNS.map((c) => c.header)).toEqual(['序号', '受理编号', '企业', '诉求类别', '诉求内容', '提出时间', '责任单位', '办理时限', '办理情况', '是否解决', '企业评价', '销号时间']);
  });

  it.each([
    ['0', 0], ['100', 0.01], ['49', 0], ['50', 0.01], ['123456789', 12345.68], ['79650000000', 7965000], ['-150', -0.02], ['99999999', 10000],
  ])('元 %s → %s 万元 (two decimals, half up)', (yuan, wan) => {
    expect(yuanToWanNumber(yuan)).toBe(wan);
  });

  it('prints 是/否 and leaves unknown empty', () => {
    expect([YES_NO(true), YES_NO(false), YES_NO(null)]).toEqual(['是', '否', '']);
  });

  it('summarises a timeline into 办理情况: key steps with dates, the department, the verdict, the state now', () => {
    const md = (iso: string) => iso.slice(5, 10);
    const text = summarizeTimeline([
      { action: 'submit', at: '2026-03-01T01:00:00Z' },
      { action: 'route', at: '2026-03-01T01:00:00Z', department: '区人社局' },
      { action: 'accept', at: '2026-03-02T01:00:00Z' },
      { action: 'add_note', at: '2026-03-03T01:00:00Z' },
      { action: 'reply', at: '2026-03-05T01:00:00Z' },
      { action: 'confirm', at: '2026-03-08T01:00:00Z', verdict: 'basically_satisfied' },
      { action: 'close', at: '2026-03-09T01:00:00Z' },
    ], 'closed', md);
    expect(text).toBe('03-01 自动交办（区人社局）；03-02 签收；03-05 答复；03-08 确认办理结果：基本满意；03-09 销号；当前：已销号');
    expect(summarizeTimeline([], 'submitted', md)).toBe('当前：已提交');
  });
});
