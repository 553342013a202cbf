import { rankLines, settingsBody, settingsForm } from './rankings';

describe('rankLines', () => {
  test('department rows: rates worded, missing rates as —, the change text kept', () => {
    const [l] = rankLines('department', [{
      department: { id: 'd1', name: '人社局' }, rank: 1, previousRank: 3, change: { direction: 'up', places: 2, text: '↑2' },
      received: 4, solveRate: 100, satisfactionRate: null, acceptOnTimeRate: 75, replyOnTimeRate: 50, overdue: 1, score: 57.5,
    }]);
    expect(l).toMatchObject({ id: 'd1', name: '人社局', rank: 1, score: 57.5, change: '↑2' });
    expect(l!.facts).toEqual(['受理 4 件', '解决率 100.0%', '满意率 —', '及时签收率 75.0%', '按时办结率 50.0%', '超期 1 件']);
  });

  test('steward rows: contacts, coverage, problems raised and solved', () => {
    const [l] = rankLines('steward', [{
      steward: { id: 's1', name: '管家张' }, rank: null, previousRank: null, change: null, contacts: 3, coverageRate: 50,
      problemsRaised: 2, problemsSolved: 1, satisfactionRate: 90, score: null,
    }]);
    expect(l).toMatchObject({ id: 's1', rank: null, change: '' });
    expect(l!.facts).toEqual(['走访 3 次', '覆盖率 50.0%', '提出问题 2 项', '解决 1 项', '满意率 90.0%']);
  });
});

describe('考核设置 form', () => {
  const stored = { weights: { response: 0.1, solve: 0.5, satisfaction: 0.4, basicallySatisfied: 0.9 }, redBlackN: 3 };

  it('round-trips the stored settings through the form', () => {
    const f = settingsForm(stored);
    expect(f).toEqual({ basicallySatisfied: '0.9', response: '0.1', solve: '0.5', satisfaction: '0.4', redBlackN: '3' });
    expect(settingsBody({ ...f, redBlackN: ' 5 ' })).toEqual({ body: { weights: stored.weights, redBlackN: 5 } });
  });

  it('names fields that are not numbers, or N not a whole number; ranges are left to the server', () => {
    const f = settingsForm(stored);
    expect(settingsBody({ ...f, solve: '', satisfaction: 'abc' })).toEqual({ errors: { solve: '请输入数字', satisfaction: '请输入数字' } });
    expect(settingsBody({ ...f, redBlackN: '2.5' })).toEqual({ errors: { redBlackN: '请输入整数' } });
    expect(settingsBody({ ...f, redBlackN: '30' })).toEqual({ body: { weights: stored.weights, redBlackN: 30 } });
  });
});
