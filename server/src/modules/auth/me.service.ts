import type { Static } from '@sinclair/typebox';
import type { DataSource } from 'typeorm';
import type { MeResponse } from '@guanjia/shared';
import { AppError } from '../../lib/app-error';
import { maskPhone } from '../../lib/mask';

/** "Who am I": the signed-in person at any scope, with their district, city, enterprise and department; a disabled one is signed out. */
export async function currentPerson(db: DataSource, personId: string): Promise<Static<typeof MeResponse>> {
  const [p] = await db.query(
    `SELECT p.id, p.name, p.roles, p.scope, p.title, p.phone, p.wechat_openid IS NOT NULL AS wechat_bound,
            d.id AS d_id, d.code AS d_code, d.name AS d_name, c.code AS c_code, c.name AS c_name,
            e.id AS e_id, e.name AS e_name, dep.id AS dep_id, dep.name AS dep_name
       FROM person p LEFT JOIN district d ON d.id = p.district_id LEFT JOIN city c ON c.code = COALESCE(p.city_code, d.city_code)
       LEFT JOIN enterprise e ON e.id = p.enterprise_id LEFT JOIN department dep ON dep.id = p.department_id
      WHERE p.id = $1 AND NOT p.disabled`,
    [personId],
  );
  if (!p) throw new AppError('UNAUTHENTICATED');
  return {
    id: p.id, name: p.name, roles: p.roles, scope: p.scope, title: p.title, phoneMasked: maskPhone(p.phone),
    district: p.d_id ? { id: p.d_id, code: p.d_code, name: p.d_name } : null,
    city: p.c_code ? { code: p.c_code, name: p.c_name } : null,
    enterprise: p.e_id ? { id: p.e_id, name: p.e_name } : null,
    department: p.dep_id ? { id: p.dep_id, name: p.dep_name } : null,
    wechatBound: p.wechat_bound,
  };
}
