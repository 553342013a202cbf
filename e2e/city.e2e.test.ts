import { buildCityPerson } from '../server/test/factories';
import { fileTicket, seedTicketWorld, type TicketWorld } from '../server/test/ticket-factories';
import { DESK, horizontalOverflow, PHONE, shot, signIn, startE2E, tapButton, type E2E } from './support/harness';

/**
 * A city coordinator (ADR 0008) signs in, opens 全市对比 from home and sees the districts of the city with their
 * figures and rank, never a district of another city. At 1280 px and 375 px.
 */
let e: E2E;
let a: TicketWorld;
let b: TicketWorld;
let other: TicketWorld;


beforeAll(async () => {
  e = await startE2E();
  a = await seedTicketWorld(e.t.db, '211291');
  b = await seedTicketWorld(e.t.db, '211292');
  other = await seedTicketWorld(e.t.db, '340391');
  await buildCityPerson(e.t.db, '340300');
  await e.t.db.query(`UPDATE district SET city_code = '340300' WHERE id = $1`, [other.districtId]);
  for (let i = 0; i < 3; i++) await fileTicket(e.t, a.contact1, { categoryId: a.cat('人才用工'), title: `招工难${i}` });
  await fileTicket(e.t, b.contact1, { categoryId: b.cat('人才用工'), title: '招工难' });
}, 90000);
afterAll(async () => {
  await e?.close();
});

describe('city view', () => {
  it.each([['desk', DESK], ['phone', PHONE]] as const)('a city coordinator compares the districts of the city (%s)', async (name, viewport) => {
    const person = await buildCityPerson(e.t.db, '211200');
    await e.t.db.query(`UPDATE district SET city_code = '211200' WHERE id = ANY($1)`, [[a.districtId, b.districtId]]);
    const page = await signIn(e, person.username, viewport);
    await page.locator('.nut-cell', { hasText: '全市对比' }).click();
    await page.waitForURL(/coordinator\/pages\/city/);
    await page.locator('.co-card__title', { hasText: '测试市211200 各区县对比' }).waitFor();
    const rows = page.locator('.co-city__row');
    await rows.nth(1).waitFor();
    expect(await rows.count()).toBe(2);
    const text = await page.locator('.co-city').innerText();
    expect(text).toContain('测试区211291');
    expect(text).toContain('测试区211292');
    expect(text).not.toContain('测试区340391');
    expect(await rows.nth(0).innerText()).toContain('受理诉求 3 件');
    expect(await rows.nth(1).innerText()).toContain('受理诉求 1 件');
    // the district ranking as offices word it, and the whole city's month (the sum of its districts)
    // nothing accepted or solved yet in either: the same score, so both rank first, tied
    expect(await rows.nth(0).innerText()).toContain('在全市2个区县综合考评中并列第一');
    expect(await rows.nth(1).innerText()).toContain('在全市2个区县综合考评中并列第一');
    expect(await page.locator('.co-city__total').innerText()).toContain('受理诉求 4 件');
    // the page slides in from the right: measure once it has settled
    await page.waitForFunction(() => Array.from(document.querySelectorAll('.taro_page_show')).every((el) => el.getBoundingClientRect().right <= document.documentElement.clientWidth + 1));
    await shot(page, `city-districts-${name}`);
    expect(await horizontalOverflow(page)).toEqual([]);
    // the previous month has nothing yet: zeros and dashes, no error
    await tapButton(page, '上月');
    await page.locator('.co-city__row', { hasText: '受理诉求 0 件' }).nth(1).waitFor();
    await page.locator('.co-city__total', { hasText: '受理诉求 0 件' }).waitFor();
  });
});
