import { answersToSend, barPercent, type Question } from './surveys';

const qs: Question[] = [
  { id: 'q1', kind: 'single', title: '是否了解', options: ['是', '否'], required: true },
  { id: 'q2', kind: 'text', title: '意见', required: false },
];
describe('survey form', () => {
  test('drops empty answers and checks like the server', () => {
    expect(answersToSend(qs, { q1: 1, q2: '  ' })).toEqual({ ok: true, answers: { q1: 1 } });
    expect(answersToSend(qs, { q2: ' 好 ' })).toEqual({ ok: false, errors: { q1: '第1题为必答题' } });
  });
  test('bars scale to the largest count', () => {
    expect(barPercent(2, [2, 4, 0])).toBe(50);
    expect(barPercent(0, [0, 0])).toBe(0);
  });
});
