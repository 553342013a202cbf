import 'reflect-metadata';
import { loadConfig } from '../config';
import { connectDatabase } from '../db/connect';
import { DEMO_DISTRICT, DEMO_PASSWORD, seedOrgDemo } from '../demo/org-demo';
import { demoExtensions } from '../demo/extensions';
import { monthlyReport } from '../modules/tickets/stats/stats.service';
import { todayInChina } from '../lib/time';
import { projectParagraphFor } from '../modules/projects/project-stats.service';

/** `npm run demo`: loads a realistic demo district (idempotent) and prints a login for each role. */
async function main() {
  // Seeding needs only the database settings: the development defaults (JWT, WeChat) are never served from here.
  const env = process.env;
  const config = loadConfig(env.NODE_ENV === 'production' ? env : { GUANJIA_DEV: '1', ...env });
  const started = Date.now();
  const db = await connectDatabase(config, () => {}, { reuseRunningEmbedded: true });
  try {
    const { districtId, logins, created } = await seedOrgDemo(db.dataSource);
    if (created) for (const ext of demoExtensions) await ext.seed(db.dataSource, districtId);
    const counts = await db.dataSource.query(
      `SELECT (SELECT count(*) FROM area WHERE district_id=$1)::int AS areas, (SELECT count(*) FROM department WHERE district_id=$1)::int AS departments,
              (SELECT count(*) FROM enterprise WHERE district_id=$1)::int AS enterprises, (SELECT count(*) FROM person WHERE district_id=$1 AND 'steward' = ANY(roles))::int AS stewards,
              (SELECT count(*) FROM assignment WHERE district_id=$1 AND ends_on IS NULL)::int AS assignments,
              (SELECT count(*) FROM ticket WHERE district_id=$1)::int AS tickets, (SELECT count(*) FROM visit WHERE district_id=$1)::int AS visits`,
      [districtId],
    );
    console.log(`${created ? '已创建' : '已存在'}演示区县：${DEMO_DISTRICT.name}（${DEMO_DISTRICT.code}），用时 ${Date.now() - started} ms`);
    console.log(counts[0]);
    console.log(`\n各角色登录账号（密码均为 ${DEMO_PASSWORD}）：`);
    for (const l of logins) console.log(`  ${l.role.padEnd(22)} ${l.username.padEnd(14)} ${l.name}`);
    // What the office writes by hand every month, produced from the data just loaded.
    const [c] = await db.dataSource.query(`SELECT id, roles FROM person WHERE district_id = $1 AND username = 'coordinator'`, [districtId]);
    const report = await monthlyReport(db.dataSource, { id: c.id, districtId, roles: c.roles, enterpriseId: null, departmentId: null }, { month: todayInChina().slice(0, 7) });
    console.log(`\n本月工作情况（GET /api/v1/reports/monthly）：\n  ${report.paragraph}`);
    const coordinator = { id: c.id, districtId, roles: c.roles, enterpriseId: null, departmentId: null };
    const projects = await projectParagraphFor(db.dataSource, coordinator, { levels: ['省重点', '市重点'] });
    console.log(`\n重点项目（GET /api/v1/project-stats/paragraph?levels=省重点&levels=市重点）：\n  ${projects.text}`);
    console.log('\nPOST /api/v1/auth/login {"username":"coordinator","password":"…"} → accessToken');
  } finally {
    await db.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
