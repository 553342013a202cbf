import { fileTicket, seedTicketWorld, type TicketWorld } from '../server/test/ticket-factories';
import { horizontalOverflow, PHONE, shot, signIn, startE2E, type E2E } from './support/harness';

/**
 * Issue 13, the department's 批量签收 at 375 px: three 诉求 wait in 待签收; the staff picks two and signs for them
 * in one go; the third stays 待签收. Each is its own accept action (its own transaction and timeline event).
 */
let e: E2E;
let w: TicketWorld;
const ids: string[] = [];

beforeAll(async () => {
  e = await startE2E();
  w = await seedTicketWorld(e.t.db, '211332');
  for (const title of ['批量一：招聘熟练焊工', '批量二：招聘叉车司机', '批量三：招聘质检员']) {
    const t = await fileTicket(e.t, w.contact1, { categoryId: w.cat('人才用工'), title });
    expect(t.state).toBe('assigned');
    ids.push(t.id);
  }
}, 90000);
afterAll(async () => {
  await e?.close();
});

it('picks two 待签收 tickets and signs for both at once', async () => {
  const page = await signIn(e, w.staff1.username, PHONE);
  await page.goto(`${e.baseUrl}/packages/department/pages/index/index?item=assigned`);
  await page.getByText('批量三：招聘质检员').waitFor();
  await page.locator('.inbox__batch').click();
  await page.locator('.inbox__pick', { hasText: '批量一' }).click();
  await page.locator('.inbox__pick', { hasText: '批量二' }).click();
  await page.getByText('已选 2 件').waitFor();
  await page.waitForTimeout(300);
  await shot(page, 'department-batch-accept-phone');
  expect(await horizontalOverflow(page)).toEqual([]);
  await page.locator('taro-button-core, button', { hasText: '签收选中的 2 件' }).click();
  await page.locator('.taro-model__confirm', { hasText: '签收' }).click();
  await page.getByText('已签收 2 件').waitFor();
  await page.waitForTimeout(300);
  await shot(page, 'department-batch-accepted-phone');
  const rows = await e.t.db.query(`SELECT title, state FROM ticket WHERE id = ANY($1::uuid[]) ORDER BY title`, [ids]);
  expect(rows.map((r: { state: string }) => r.state).sort()).toEqual(['accepted', 'accepted', 'assigned']);
  expect(rows.find((r: { title: string }) => r.title.startsWith('批量三')).state).toBe('assigned');
  const events = await e.t.db.query(`SELECT count(*)::int AS n FROM ticket_event WHERE ticket_id = ANY($1::uuid[]) AND action = 'accept'`, [ids]);
  expect(events[0].n).toBe(2);
});

it('shows the enterprise contact’s phone with a call button on the ticket', async () => {
  const page = await signIn(e, w.staff1.username, PHONE);
  await page.goto(`${e.baseUrl}/packages/ticket/pages/detail/index?id=${ids[2]}`);
  await page.getByText('批量三：招聘质检员').first().waitFor();
  const row = page.locator('.detail__contact');
  await row.getByText('13800138000').waitFor();
  await row.locator('.detail__call', { hasText: '拨打' }).waitFor();
  await row.scrollIntoViewIfNeeded();
  await page.waitForTimeout(300);
  await shot(page, 'department-ticket-contact-phone');
  expect(await horizontalOverflow(page)).toEqual([]);
  const box = await row.locator('.detail__call').boundingBox();
  expect(box!.height).toBeGreaterThanOrEqual(44); // a phone tap target
});
