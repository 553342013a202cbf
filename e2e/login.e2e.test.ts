import { seedDistrict, PASSWORD, type World } from '../server/test/factories';
import { fill, tapButton, horizontalOverflow, phone, shot, startE2E, type E2E } from './support/harness';

let e: E2E;
let w: World;
beforeAll(async () => {
  e = await startE2E();
  w = await seedDistrict(e.t.db, '211199');
}, 60000);
afterAll(() => e?.close());

describe('H5 login', () => {
  it('a coordinator logs in with username and password and lands on the work bench', async () => {
    const { page, context } = await phone(e);
    await page.goto(`${e.baseUrl}/pages/login/index`);
    await fill(page, '用户名', w.coordinator.username);
    await fill(page, '密码', PASSWORD);
    await shot(page, 'login');
    await tapButton(page, '登录');
    await page.waitForURL(/pages\/home/);
    await page.getByText('调度员王').first().waitFor();
    await shot(page, 'home-coordinator');
    expect(await horizontalOverflow(page)).toEqual([]);
    await context.close();
  });

  it('a wrong password shows a Chinese message, not raw JSON', async () => {
    const { page, context } = await phone(e);
    await page.goto(`${e.baseUrl}/pages/login/index`);
    await fill(page, '用户名', w.coordinator.username);
    await fill(page, '密码', 'wrong-password');
    await tapButton(page, '登录');
    await page.getByText('账号或密码错误').first().waitFor();
    expect(await page.content()).not.toContain('INVALID_CREDENTIALS');
    await context.close();
  });
});
