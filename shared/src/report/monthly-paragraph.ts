/**
 * The monthly paragraph the office writes by hand today (S0):
 * "截至目前，助企干部累计对接企业722次，其中：电话对接363次，现场走访359次。53家企业提出困难诉求涉及60项问题，
 * 其中，人才用工14项，融资困难6项，……。经助企干部的帮扶，已帮助企业解决问题39项，正在协调解决问题21项。"
 * Producing it from the data is the point of the system; this function owns the wording, the server the counts.
 */
import type { VisitKind } from '../visit/cadence';

/** The counts behind the paragraph. Totals are summed from the parts, so they always agree. */
export type MonthlyParagraphInput = {
  /** What the report calls stewards: 助企干部 (default), 项目管家, 包保干部 … */
  stewardTerm?: string;
  /** Opening phrase; default 截至目前. Empty string to omit. */
  asOf?: string;
  /** Contacts by channel; zero channels are left out of the breakdown. */
  contacts: Partial<Record<VisitKind, number>>;
  /** Distinct enterprises that raised at least one request. */
  enterprisesWithRequests: number;
  /** Requests by category, in the order to print; zero rows are left out. */
  requestsByCategory: readonly { category: string; count: number }[];
  /** Requests solved (confirmed by the enterprise or 回访). */
  solved: number;
  /** Requests still being coordinated. */
  inProgress: number;
};

/** How each channel is named in the paragraph, in print order (the seed's order: phone, then on-site). */
export const CONTACT_CHANNEL_WORDS: readonly [VisitKind, string][] = [
  ['phone', '电话对接'],
  ['onsite', '现场走访'],
  ['wechat', '微信对接'],
  ['meeting', '座谈交流'],
];

function count(n: number, what: string): number {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${what} must be a non-negative integer`);
  return n;
}

/**
 * Writes the paragraph. Throws on counts that cannot all be true (more enterprises with requests than
 * requests, more solved + in progress than requests): a report must not print inconsistent figures.
 */
export function monthlyParagraph(input: MonthlyParagraphInput): string {
  const steward = input.stewardTerm ?? '助企干部';
  const asOf = input.asOf ?? '截至目前';
  const channels = CONTACT_CHANNEL_WORDS.map(([kind, word]) => [word, count(input.contacts[kind] ?? 0, kind)] as const).filter(([, n]) => n > 0);
  const contactTotal = channels.reduce((s, [, n]) => s + n, 0);
  const categories = input.requestsByCategory.map((c) => [c.category, count(c.count, c.category)] as const).filter(([, n]) => n > 0);
  const requestTotal = categories.reduce((s, [, n]) => s + n, 0);
  const enterprises = count(input.enterprisesWithRequests, 'enterprisesWithRequests');
  const solved = count(input.solved, 'solved');
  const inProgress = count(input.inProgress, 'inProgress');
  if (enterprises > requestTotal) throw new RangeError('more enterprises with requests than requests');
  if (requestTotal > 0 && enterprises === 0) throw new RangeError('requests without an enterprise');
  if (solved + inProgress > requestTotal) throw new RangeError('solved + inProgress exceeds the number of requests');

  let contactsSentence = `${asOf ? `${asOf}，` : ''}${steward}累计对接企业${contactTotal}次`;
  if (channels.length === 1) contactsSentence += `，均为${channels[0]![0]}`;
  else if (channels.length > 1) contactsSentence += `，其中：${channels.map(([w, n]) => `${w}${n}次`).join('，')}`;
  const sentences = [`${contactsSentence}。`];

  if (requestTotal === 0) {
    sentences.push('暂无企业提出困难诉求。');
    return sentences.join('');
  }
  sentences.push(`${enterprises}家企业提出困难诉求涉及${requestTotal}项问题，其中，${categories.map(([c, n]) => `${c}${n}项`).join('，')}。`);
  const outcomes = [
    ...(solved > 0 ? [`已帮助企业解决问题${solved}项`] : []),
    ...(inProgress > 0 ? [`正在协调解决问题${inProgress}项`] : []),
  ];
  if (outcomes.length > 0) sentences.push(`经${steward}的帮扶，${outcomes.join('，')}。`);
  return sentences.join('');
}
