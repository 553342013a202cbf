import { rawWords } from './raw-text';

it('finds codes and English words, not ids or units', () => {
  expect(rawWords('诉求 2026-000123 督办单 DB2026-0007 91370200MA3C8X5B2K 距离 300 m 附件 PDF')).toEqual([]);
  expect(rawWords('企业升规入统：overdue')).toEqual(['代码 overdue']);
  expect(rawWords('依据 chinese-days · manual')).toEqual(['chinese-days', '代码 manual']);
  expect(rawWords('Loading...')).toEqual(['Loading']);
  expect(rawWords('邀请码 YJQ2SF7U 账号 u5f3a21c 邀请码 RPMWLKWD')).toEqual([]);
  expect(rawWords('从 Excel / CSV 导入（UTF-8 或 GBK 编码）· 行业 C 制造业 · GB/T 4754')).toEqual([]);
  expect(rawWords('状态 pending · C')).toEqual(['pending', 'C']);
  expect(rawWords('附件 营业执照.pdf 现场照片.JPG')).toEqual([]);
  expect(rawWords('格式 pdf')).toEqual(['pdf']);
});
