import { buildCityPerson } from '../server/test/factories';
import { shanghaiDate } from '@guanjia/shared';
import { apiAs, fileTicket, seedTicketWorld, type TicketWorld } from '../server/test/ticket-factories';
import { DESK, horizontalOverflow, PHONE, shot, signIn, startE2E, tapButton, type E2E } from './support/harness';

/**
 * A city coordinator (ADR 0008) signs in, opens 全市对比 from home and sees the districts of the city with their
 * figures and rank, the 诉求类别 with a column per district, each district's areas and the city's key projects, never a
 * district of another city. At 1280 px and 375 px.
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
  // one key project in A, staged today, so the current month of the city has it
  const today = shanghaiDate(new Date());
  const y = Number(today.slice(0, 4));
  const project = await apiAs(e.t)('POST', '/projects', a.coordinator, {
    name: '新材料产业园项目', enterpriseId: a.enterprises[0].id, areaId: a.areas[0], location: '工业园', nature: '产业', levels: ['市重点'], kind: 'new',
    startYear: y, endYear: y + 1, plannedStartOn: `${y + 1}-03-01`, plannedEndOn: `${y + 1}-06-30`, totalInvestment: '150000000',
    funding: [{ source: 'self_raised', amount: '150000000' }], leaderId: a.leader.id, leadDepartmentId: a.departments[0], helperDepartmentIds: [],
    stewardIds: [a.steward.id], contactPersonId: a.contact1.id, stage: 'started', stageOn: today,
  });
  if (project.statusCode !== 201) throw new Error(`project: ${project.body}`);
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
    // 诉求类别: a column per district and the city's
    const hr = page.locator('.co-city__trow', { hasText: '人才用工' });
    expect((await hr.locator('.co-city__tcell').allInnerTexts()).map((x) => x.trim())).toEqual(['3', '1', '4']);
    expect((await page.locator('.co-city__trow--head .co-city__tcell').allInnerTexts()).map((x) => x.trim())).toEqual(['测试区211291', '测试区211292', '全市']);
    // each district's areas, and the city's key projects (A's one)
    const areas = await page.locator('.co-city__areas').innerText();
    expect(areas).toContain('测试区211291');
    expect(areas).toContain('受理诉求 3 件');
    expect(areas).toContain('受理诉求 1 件');
    expect(await page.locator('.co-city__projects').innerText()).toContain('共 1 个 · 总投资 1.5亿元');
    // the page slides in from the right: measure once it has settled
    await page.waitForFunction(() => Array.from(document.querySelectorAll('.taro_page_show')).every((el) => el.getBoundingClientRect().right <= document.documentElement.clientWidth + 1));
    await shot(page, `city-districts-${name}`);
    expect(await horizontalOverflow(page)).toEqual([]);
    await page.locator('.co-city__cats').scrollIntoViewIfNeeded();
    await shot(page, `city-districts-tables-${name}`);
    // the previous month has nothing yet: zeros and dashes, no error
    await tapButton(page, '上月');
    await page.locator('.co-city__row', { hasText: '受理诉求 0 件' }).nth(1).waitFor();
    await page.locator('.co-city__total', { hasText: '受理诉求 0 件' }).waitFor();
    expect(await page.locator('.co-city__cats').count()).toBe(0);
  });
});
