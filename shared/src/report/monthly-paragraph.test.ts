import { monthlyParagraph, type MonthlyParagraphInput } from './monthly-paragraph';

// Seed 000 (2022年度兴隆台区项目管家工作进展情况), 工作举措 4, copied verbatim.
const SEED_000 =
  '截至目前，助企干部累计对接企业722次，其中：电话对接363次，现场走访359次。53家企业提出困难诉求涉及60项问题，其中，人才用工14项，融资困难6项，涉法涉诉3项，市场开拓9项，项目建设5项，政务服务23项。经助企干部的帮扶，已帮助企业解决问题39项，正在协调解决问题21项。';

const seed000: MonthlyParagraphInput = {
  contacts: { phone: 363, onsite: 359 },
  enterprisesWithRequests: 53,
  requestsByCategory: [
    { category: '人才用工', count: 14 },
    { category: '融资困难', count: 6 },
    { category: '涉法涉诉', count: 3 },
    { category: '市场开拓', count: 9 },
    { category: '项目建设', count: 5 },
    { category: '政务服务', count: 23 },
  ],
  solved: 39,
  inProgress: 21,
};

describe('monthlyParagraph', () => {
  it("reproduces S0's paragraph from S0's numbers", () => {
    expect(monthlyParagraph(seed000)).toBe(SEED_000);
  });

  it.each<[string, Partial<MonthlyParagraphInput>, string]>([
    [
      'other wording for stewards and no opening phrase',
      { stewardTerm: '项目管家', asOf: '' },
      '项目管家累计对接企业722次，其中：电话对接363次，现场走访359次。53家企业提出困难诉求涉及60项问题，其中，人才用工14项，融资困难6项，涉法涉诉3项，市场开拓9项，项目建设5项，政务服务23项。经项目管家的帮扶，已帮助企业解决问题39项，正在协调解决问题21项。',
    ],
    [
      'all channels, zero channel and zero category left out',
      {
        asOf: '10月份',
        contacts: { phone: 10, onsite: 0, wechat: 4, meeting: 1 },
        enterprisesWithRequests: 2,
        requestsByCategory: [{ category: '用地规划', count: 2 }, { category: '环保能耗', count: 0 }, { category: '水电气暖', count: 1 }],
        solved: 3,
        inProgress: 0,
      },
      '10月份，助企干部累计对接企业15次，其中：电话对接10次，微信对接4次，座谈交流1次。2家企业提出困难诉求涉及3项问题，其中，用地规划2项，水电气暖1项。经助企干部的帮扶，已帮助企业解决问题3项。',
    ],
    [
      'one channel, nothing solved yet',
      { contacts: { onsite: 12 }, enterprisesWithRequests: 1, requestsByCategory: [{ category: '政务服务', count: 1 }], solved: 0, inProgress: 1 },
      '截至目前，助企干部累计对接企业12次，均为现场走访。1家企业提出困难诉求涉及1项问题，其中，政务服务1项。经助企干部的帮扶，正在协调解决问题1项。',
    ],
    [
      'no requests',
      { contacts: { phone: 3, onsite: 2 }, enterprisesWithRequests: 0, requestsByCategory: [], solved: 0, inProgress: 0 },
      '截至目前，助企干部累计对接企业5次，其中：电话对接3次，现场走访2次。暂无企业提出困难诉求。',
    ],
    [
      'no contacts at all',
      { contacts: {}, enterprisesWithRequests: 0, requestsByCategory: [], solved: 0, inProgress: 0 },
      '截至目前，助企干部累计对接企业0次。暂无企业提出困难诉求。',
    ],
  ])('%s', (_name, over, text) => {
    expect(monthlyParagraph({ ...seed000, ...over })).toBe(text);
  });

  it.each<[string, Partial<MonthlyParagraphInput>]>([
    ['more enterprises than requests', { enterprisesWithRequests: 61 }],
    ['requests without enterprises', { enterprisesWithRequests: 0 }],
    ['solved + in progress over the total', { solved: 40 }],
    ['negative count', { contacts: { phone: -1 } }],
    ['fractional count', { inProgress: 20.5 }],
    ['negative category', { requestsByCategory: [{ category: '人才用工', count: -1 }] }],
  ])('rejects inconsistent figures: %s', (_name, over) => {
    expect(() => monthlyParagraph({ ...seed000, ...over })).toThrow(RangeError);
  });
});
