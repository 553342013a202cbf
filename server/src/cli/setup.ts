import 'reflect-metadata';
import crypto from 'node:crypto';
import { parseArgs } from 'node:util';
import { Value } from '@sinclair/typebox/value';
import { DistrictSetup } from '@guanjia/shared';
import { loadConfig } from '../config';
import { connectDatabase } from '../db/connect';
import { AppError } from '../lib/app-error';
import { hashPassword } from '../modules/auth/auth.service';
import { ensureOperator, setupDistrict } from '../modules/platform/platform.service';

const USAGE = `用法：
  npm run setup -- --district 211103 --name 兴隆台区 [--city 盘锦市] --admin-name 张三 --admin-phone 13800000000 [--admin-username admin.xlt]
      开通区县并创建首位管理员，打印一次性邀请码（管理员首次用微信登录时输入）；给出 --admin-username 时另打印
      桌面端（浏览器）登录的初始密码。重复执行不做任何更改。
  npm run setup -- --operator ops.admin
      创建平台运维账号（录入全国节假日、开通区县），打印一次性初始密码。`;

/** `npm run setup`: a live, empty district and its first administrator, or the platform operator, from the command line. */
async function main() {
  const { values: a } = parseArgs({
    options: {
      district: { type: 'string' }, name: { type: 'string' }, city: { type: 'string' },
      'admin-name': { type: 'string' }, 'admin-phone': { type: 'string' }, 'admin-username': { type: 'string' },
      operator: { type: 'string' }, help: { type: 'boolean' },
    },
  });
  if (a.help || (!a.district && !a.operator)) {
    console.log(USAGE);
    return;
  }
  // The command needs only the database; outside production it takes the development defaults like `npm run demo`.
  const config = loadConfig(process.env.NODE_ENV === 'production' ? process.env : { GUANJIA_DEV: '1', ...process.env });
  const db = await connectDatabase(config, () => {}, { reuseRunningEmbedded: true });
  try {
    if (a.operator) {
      const password = crypto.randomBytes(12).toString('base64url');
      const r = await ensureOperator(db.dataSource, a.operator, await hashPassword(password));
      console.log(r.created ? `已创建平台运维账号 ${a.operator}，初始密码（仅显示一次）：${password}` : `平台运维账号 ${a.operator} 已存在，未做更改`);
    }
    if (a.district) {
      const body = {
        code: a.district, name: a.name ?? '', ...(a.city ? { cityName: a.city } : {}),
        admin: { name: a['admin-name'] ?? '管理员', ...(a['admin-phone'] ? { phone: a['admin-phone'] } : {}), ...(a['admin-username'] ? { username: a['admin-username'] } : {}) },
      };
      const problems = [...Value.Errors(DistrictSetup, body)].map((e) => `${e.path} ${e.message}`);
      if (problems.length) throw new Error(`参数不正确：\n  ${problems.join('\n  ')}\n\n${USAGE}`);
      // With a login name the first admin also gets an initial password, for the desk (H5) where WeChat login is absent.
      const adminPassword = a['admin-username'] ? crypto.randomBytes(9).toString('base64url') : null;
      const r = await setupDistrict(db.dataSource, null, body, adminPassword ? { adminPasswordHash: await hashPassword(adminPassword) } : {});
      if (!r.created) console.log(`区县 ${r.district.name}（${r.district.code}）已存在，未做任何更改。`);
      else {
        console.log(`已开通区县 ${r.district.name}（${r.district.code}）${r.district.city ? `，所属 ${r.district.city.name}` : ''}。`);
        console.log(`首位管理员：${r.admin!.name}。一次性邀请码（7 天内有效，仅显示这一次）：${r.invitationCode}`);
        if (adminPassword) console.log(`桌面端（浏览器）登录：账号 ${a['admin-username']}，初始密码（仅显示这一次）：${adminPassword}`);
        console.log('管理员打开小程序，用微信登录后输入邀请码即可进入，再录入属地、部门、诉求类别、人员和企业。');
      }
    }
  } finally {
    await db.close();
  }
}

main().catch((e) => {
  console.error(e instanceof AppError ? `${e.message}${e.details ? `：${JSON.stringify(e.details)}` : ''}` : e instanceof Error ? e.message : e);
  process.exit(1);
});
