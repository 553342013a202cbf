import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestApp, type TestApp } from '../../../../test/helper';
import { apiAs, fileTicket, seedTicketWorld, type TicketWorld } from '../../../../test/ticket-factories';
import type { SeedPerson } from '../../../../test/factories';
import { auth } from '../../../../test/factories';
import { purgeOrphanAttachments } from '../files/attachment.service';
import { ROLES, type Role } from '@guanjia/shared';
import { sqlParams } from '../../../lib/sql';
import { cases, caller, D1, D2, expectedShape, OTHER_DEP, OTHER_ENT, OWN_DEP, OWN_ENT, roleCases, shape, type Relation, type Row } from '../../../../test/policy-matrix';
import { filingRole, meetingRole, relationTo, seesInternalHandling, TICKET_ROLES, visibilitySql, type AccessFacts } from './ticket.policy';

let t: TestApp;
let w: TicketWorld;
let other: TicketWorld;
let api: ReturnType<typeof apiAs>;
let uploadDir: string;

/** A multipart/form-data body with one file field, as the mini-app's uploadFile sends it. */
export function multipartFile(filename: string, content: Buffer, type = 'application/octet-stream') {
  const boundary = '----guanjia' + Math.random().toString(16).slice(2);
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
export const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
export const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 2)]);
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

async function upload(who: SeedPerson, name: string, content: Buffer) {
  const m = multipartFile(name, content);
  return t.app.inject({ method: 'POST', url: '/api/v1/attachments', headers: { ...auth(t.app, who), ...m.headers }, payload: m.payload });
}
const act = async (id: string, segment: string, who: SeedPerson, body: object = {}) => {
  const cur = (await api('GET', `/tickets/${id}`, who)).json();
  return api('POST', `/tickets/${id}/${segment}`, who, { version: cur.version, ...body });
};
const sees = async (who: SeedPerson, id: string) => (await api('GET', `/tickets/${id}`, who)).statusCode === 200;
const listed = async (who: SeedPerson) => ((await api('GET', '/tickets?limit=200', who)).json().items as { id: string }[]).map((x) => x.id);

beforeAll(async () => {
  uploadDir = fs.mkdtempSync(path.join(os.tmpdir(), 'guanjia-uploads-'));
  t = await createTestApp({ env: { UPLOAD_DIR: uploadDir } });
  w = await seedTicketWorld(t.db, '211109');
  other = await seedTicketWorld(t.db, '410109');
  api = apiAs(t);
});

/** Two fresh tickets for the test that calls it, so no test depends on what another did to a shared one. */
async function fileAB() {
  const A = await fileTicket(t, w.contact1, { categoryId: w.cat('人才用工') }); // → 人社局 (staff1)
  const B = await fileTicket(t, w.contact2, { categoryId: w.cat('融资信贷'), title: '贷款续贷困难', description: '流动资金贷款到期，续贷审批慢' }); // → 金融办 lead, 人社局 assisting
  return { A, B };
}
afterAll(async () => {
  await t.close();
  fs.rmSync(uploadDir, { recursive: true, force: true });
});

/**
 * The rule itself, without the database: a ticket of the caller's own enterprise, department (as lead) and
 * assignment (`own`), someone else's in the same district (`other`), or an own-looking one of district D2.
 */
const ticket = (rel: Relation): AccessFacts => ({
  district_id: rel === 'otherDistrict' ? D2 : D1,
  enterprise_id: rel === 'other' ? OTHER_ENT : OWN_ENT,
  lead_department_id: rel === 'other' ? OTHER_DEP : OWN_DEP,
  assisting_department_ids: [],
});
const relation = (role: Role, rel: Relation) => relationTo(caller(role), ticket(rel), role === 'steward' && rel !== 'other');

// columns: own · other · otherDistrict
const SEE: Record<Role, Row> = {
  enterprise: 'Y - -',
  steward: 'Y - -',
  department: 'Y - -',
  coordinator: 'Y Y -',
  leader: 'Y Y -',
  admin: 'Y Y -',
};
const INTERNAL: Record<Role, Row> = { ...SEE, enterprise: '- - -' }; // contacts read public events only

describe('ticket policy matrix', () => {
  it.each(cases(SEE))('%s sees a %s ticket: %s', (role, rel, allowed) => {
    expect(relation(role, rel).canSee).toBe(allowed);
  });

  it.each(cases(INTERNAL))('%s reads the internal events of a %s ticket: %s', (role, rel, allowed) => {
    expect(relation(role, rel).seesInternal).toBe(allowed);
  });

  it.each(ROLES)('the list condition of %s agrees with the row rule', (role) => {
    expect(shape(visibilitySql(caller(role), sqlParams().p))).toBe(expectedShape(relation(role, 'own').canSee, relation(role, 'other').canSee));
  });

  it('an assisting department sees the ticket in its own ticket role; a person holding several roles gets the union', () => {
    const assisting = relationTo(caller('department'), { ...ticket('other'), assisting_department_ids: [OWN_DEP] }, false);
    expect(assisting).toEqual({ roles: ['assisting_department'], canSee: true, seesInternal: true });
    const both = caller('steward', { roles: ['steward', 'enterprise'], enterpriseId: OWN_ENT });
    expect(relationTo(both, ticket('own'), true).roles).toEqual(['steward', 'enterprise']);
    const { params, p } = sqlParams();
    expect(visibilitySql(both, p)).toContain(' OR ');
    expect(params).toEqual([OWN_ENT, both.id]);
  });

  it('meetings are recorded as coordinator or leader only', () => {
    expect(meetingRole(relation('leader', 'other'))).toBe('leader');
    expect(meetingRole(relation('coordinator', 'own'))).toBe('coordinator');
    expect(meetingRole(relation('admin', 'own'))).toBeUndefined();
    expect(meetingRole(relation('department', 'own'))).toBeUndefined();
  });

  // Filing for an enterprise: `own` = the caller's own enterprise (or, for a steward, one assigned to them),
  // `other` = another enterprise of the district, `otherDistrict` = an enterprise the caller has no tie to.
  const FILE: Record<Role, Row> = {
    enterprise: 'Y - -', steward: 'Y - -', department: '- - -', coordinator: '- - -', leader: '- - -', admin: '- - -',
  };
  it.each(cases(FILE))('%s files for a %s enterprise: %s', (role, rel, allowed) => {
    const ent = rel === 'own' && role === 'enterprise' ? OWN_ENT : OTHER_ENT;
    const answer = filingRole(caller(role), ent, role === 'steward' && rel === 'own');
    expect(answer).toBe(allowed ? role : null);
  });

  it('a person who is both contact and steward files as the contact for their own enterprise, as steward for an assigned one', () => {
    const both = caller('steward', { roles: ['steward', 'enterprise'], enterpriseId: OWN_ENT });
    expect(filingRole(both, OWN_ENT, true)).toBe('enterprise');
    expect(filingRole(both, OTHER_ENT, true)).toBe('steward');
    expect(filingRole(both, OTHER_ENT, false)).toBeNull();
  });

  it.each(ROLES)('%s sees the internal handling in lists only when not just an enterprise contact', (role) => {
    expect(seesInternalHandling(caller(role))).toBe(role !== 'enterprise');
  });

  const GUARDS: Record<keyof typeof TICKET_ROLES, Record<Role, boolean>> = {
    file: { enterprise: true, steward: true, department: false, coordinator: false, leader: false, admin: false },
    urge: { enterprise: true, steward: false, department: false, coordinator: false, leader: false, admin: false },
    manage: { enterprise: false, steward: false, department: false, coordinator: true, leader: false, admin: true },
    oversee: { enterprise: false, steward: false, department: false, coordinator: true, leader: true, admin: true },
    meet: { enterprise: false, steward: false, department: false, coordinator: true, leader: true, admin: false },
    previewExtension: { enterprise: false, steward: false, department: true, coordinator: false, leader: false, admin: false },
    acknowledgeSupervision: { enterprise: false, steward: false, department: true, coordinator: false, leader: false, admin: false },
    completeSupervision: { enterprise: false, steward: false, department: true, coordinator: true, leader: false, admin: false },
    recordReturnVisit: { enterprise: false, steward: false, department: false, coordinator: true, leader: false, admin: false },
  };
  describe.each(Object.keys(GUARDS) as (keyof typeof TICKET_ROLES)[])('route guard %s', (kind) => {
    it.each(roleCases(GUARDS[kind]))('%s passes: %s', (role, allowed) => {
      expect((TICKET_ROLES[kind] as readonly Role[]).includes(role)).toBe(allowed);
    });
  });
});

describe('who sees which ticket', () => {
  it.each<[string, (x: TicketWorld) => SeedPerson, boolean, boolean]>([
    ['enterprise contact of A', (x) => x.contact1, true, false],
    ['enterprise contact of B', (x) => x.contact2, false, true],
    ['steward of A\'s enterprise', (x) => x.steward, true, false],
    ['steward of B\'s enterprise', (x) => x.steward2, false, true],
    ['staff of the lead department of A, assisting on B', (x) => x.staff1, true, true],
    ['staff of the lead department of B only', (x) => x.staff2, false, true],
    ['coordinator', (x) => x.coordinator, true, true],
    ['leader', (x) => x.leader, true, true],
    ['admin', (x) => x.admin, true, true],
  ])('%s — by id and in the list', async (_n, who, seesA, seesB) => {
    const { A, B } = await fileAB();
    const p = who(w);
    expect(await sees(p, A.id)).toBe(seesA);
    expect(await sees(p, B.id)).toBe(seesB);
    const ids = await listed(p);
    expect(ids.includes(A.id)).toBe(seesA);
    expect(ids.includes(B.id)).toBe(seesB);
  });

  it('another district sees nothing, whatever its role, and cannot act', async () => {
    const { A } = await fileAB();
    for (const p of [other.coordinator, other.leader, other.admin, other.staff1, other.contact1, other.steward]) {
      expect(await sees(p, A.id)).toBe(false);
      expect(await listed(p)).not.toContain(A.id);
    }
    const r = await api('POST', `/tickets/${A.id}/notes`, other.coordinator, { version: A.version, text: '越权' });
    expect(r.statusCode).toBe(404);
    expect(r.json().error.code).toBe('TICKET_NOT_FOUND');
  });

  it('a ticket one may not see answers 404 to actions too, not 403', async () => {
    const { A } = await fileAB();
    const r = await api('POST', `/tickets/${A.id}/accept`, w.staff2, { version: A.version });
    expect(r.statusCode).toBe(404);
  });

  it('an assisting department may add notes but not accept; its buttons say so', async () => {
    const { B } = await fileAB();
    const b = (await api('GET', `/tickets/${B.id}`, w.staff1)).json();
    expect(b.availableActions).toEqual(['add_note']);
    const r = await api('POST', `/tickets/${B.id}/accept`, w.staff1, { version: b.version });
    expect(r.statusCode).toBe(403);
    expect(r.json().error.code).toBe('TICKET_ROLE_NOT_ALLOWED');
    expect((await act(B.id, 'notes', w.staff1, { text: '协办意见：可对接稳岗贷款' })).statusCode).toBe(200);
  });

  it('a steward files only for enterprises assigned to them; contacts only for their own', async () => {
    const r = await api('POST', '/tickets', w.steward, { enterpriseId: w.enterprises[1].id, categoryId: w.cat('其他'), title: '代提诉求', description: '不属于本管家的企业' });
    expect(r.statusCode).toBe(403);
    expect(r.json().error.code).toBe('TICKET_ENTERPRISE_NOT_ALLOWED');
    const c = await api('POST', '/tickets', w.contact1, { enterpriseId: w.enterprises[1].id, categoryId: w.cat('其他'), title: '冒名诉求', description: '替别的企业提交' });
    expect(c.statusCode).toBe(403);
    const ok = await api('POST', '/tickets', w.steward, { enterpriseId: w.enterprises[0].id, categoryId: w.cat('其他'), title: '管家代提诉求', description: '走访中企业反映厂区道路积水' });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ submittedBy: { id: w.steward.id, role: 'steward' }, state: 'pending_dispatch' });
    expect(await sees(w.contact1, ok.json().id)).toBe(true);
  });

  it('a department that returned a ticket no longer sees it', async () => {
    const tk = await fileTicket(t, w.contact1, { categoryId: w.cat('人才用工'), title: '社保缴费基数咨询', description: '咨询社保缴费基数调整事宜' });
    expect((await act(tk.id, 'return', w.staff1, { reason: '属于税务部门职能' })).statusCode).toBe(200);
    expect(await sees(w.staff1, tk.id)).toBe(false);
    expect(await listed(w.staff1)).not.toContain(tk.id);
  });
});

describe('enterprise contacts see only public events', () => {
  it('internal notes and their attachments are hidden from the enterprise, shown to the steward', async () => {
    const { A } = await fileAB();
    const internalFile = (await upload(w.staff1, '内部材料.pdf', PDF)).json();
    const publicFile = (await upload(w.staff1, '现场照片.png', PNG)).json();
    await act(A.id, 'accept', w.staff1);
    expect((await act(A.id, 'notes', w.staff1, { text: '内部：与人才市场协调中', attachmentIds: [internalFile.id] })).statusCode).toBe(200);
    expect((await act(A.id, 'notes', w.staff1, { text: '已安排专场招聘会', visibility: 'public', attachmentIds: [publicFile.id] })).statusCode).toBe(200);
    const mine = (await api('GET', `/tickets/${A.id}`, w.contact1)).json();
    expect(mine.timeline.every((e: { visibility: string }) => e.visibility === 'public')).toBe(true);
    expect(mine.timeline.map((e: { note: string | null }) => e.note)).toContain('已安排专场招聘会');
    expect(mine.timeline.map((e: { note: string | null }) => e.note)).not.toContain('内部：与人才市场协调中');
    const stewardView = (await api('GET', `/tickets/${A.id}`, w.steward)).json();
    expect(stewardView.timeline.map((e: { note: string | null }) => e.note)).toContain('内部：与人才市场协调中');

    const get = (who: SeedPerson, id: string) => t.app.inject({ method: 'GET', url: `/api/v1/attachments/${id}`, headers: auth(t.app, who) });
    expect((await get(w.contact1, internalFile.id)).statusCode).toBe(404);
    const pub = await get(w.contact1, publicFile.id);
    expect(pub.statusCode).toBe(200);
    expect(pub.headers['content-type']).toBe('image/png');
    expect(pub.rawPayload.equals(PNG)).toBe(true);
    expect((await get(w.steward, internalFile.id)).statusCode).toBe(200);
    expect((await get(w.contact2, publicFile.id)).statusCode).toBe(404);
    expect((await get(w.staff2, publicFile.id)).statusCode).toBe(404);
    expect((await get(other.coordinator, publicFile.id)).statusCode).toBe(404);
  });
});

describe('attachments', () => {
  it('accepts JPEG, PNG and PDF by content; anything else is 415 whatever its name', async () => {
    for (const [name, content, kind] of [['a.jpg', JPEG, 'image'], ['b.png', PNG, 'image'], ['c.pdf', PDF, 'pdf']] as const) {
      const r = await upload(w.contact1, name, content);
      expect(r.statusCode).toBe(201);
      expect(r.json()).toMatchObject({ kind, fileName: name, sizeBytes: content.length });
    }
    const fake = await upload(w.contact1, 'photo.jpg', Buffer.from('<html>not a photo</html>'));
    expect(fake.statusCode).toBe(415);
    expect(fake.json().error.code).toBe('ATTACHMENT_TYPE_INVALID');
    const exe = await upload(w.contact1, 'x.pdf', Buffer.from('MZ\x90\x00 executable'));
    expect(exe.statusCode).toBe(415);
  });

  it('refuses a file over 10 MB and leaves nothing behind', async () => {
    const before = fs.readdirSync(path.join(uploadDir, 'tmp'));
    const big = Buffer.concat([JPEG, Buffer.alloc(10 * 1024 * 1024, 0)]);
    const r = await upload(w.contact1, 'big.jpg', big);
    expect(r.statusCode).toBe(413);
    expect(r.json().error.code).toBe('ATTACHMENT_TOO_LARGE');
    expect(fs.readdirSync(path.join(uploadDir, 'tmp'))).toEqual(before);
  });

  it('an unused upload is visible to its uploader only, and cannot be attached by someone else', async () => {
    const f = (await upload(w.contact1, 'mine.png', PNG)).json();
    const get = (who: SeedPerson) => t.app.inject({ method: 'GET', url: `/api/v1/attachments/${f.id}`, headers: auth(t.app, who) });
    expect((await get(w.contact1)).statusCode).toBe(200);
    expect((await get(w.coordinator)).statusCode).toBe(404);
    const r = await api('POST', '/tickets', w.steward, { enterpriseId: w.enterprises[0].id, categoryId: w.cat('其他'), title: '借用附件', description: '引用别人上传的附件', attachmentIds: [f.id] });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.code).toBe('ATTACHMENT_INVALID');
    const ok = await api('POST', '/tickets', w.contact1, { categoryId: w.cat('其他'), title: '厂区照片', description: '附现场照片一张', attachmentIds: [f.id] });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().timeline[0].attachments.map((a: { id: string }) => a.id)).toEqual([f.id]);
    expect((await get(w.coordinator)).statusCode).toBe(200);
    const reuse = await api('POST', '/tickets', w.contact1, { categoryId: w.cat('其他'), title: '再用一次', description: '同一附件不能用两次', attachmentIds: [f.id] });
    expect(reuse.json().error.code).toBe('ATTACHMENT_INVALID');
  });

  it('uploads never used are purged after a day, files and rows; used ones stay', async () => {
    const orphan = (await upload(w.contact1, 'orphan.png', PNG)).json();
    const [{ storage_key: key }] = await t.db.query(`SELECT storage_key FROM ticket_attachment WHERE id = $1`, [orphan.id]);
    expect(fs.existsSync(path.join(uploadDir, key))).toBe(true);
    const used = await t.db.query(`SELECT count(*)::int AS n FROM ticket_attachment WHERE ticket_id IS NOT NULL`);
    expect(await purgeOrphanAttachments(t.db, uploadDir, 24 * 3600_000, new Date())).toBe(0);
    const n = await purgeOrphanAttachments(t.db, uploadDir, 24 * 3600_000, new Date(Date.now() + 25 * 3600_000));
    expect(n).toBeGreaterThanOrEqual(1);
    expect(fs.existsSync(path.join(uploadDir, key))).toBe(false);
    expect(await t.db.query(`SELECT 1 FROM ticket_attachment WHERE id = $1`, [orphan.id])).toHaveLength(0);
    expect(await t.db.query(`SELECT count(*)::int AS n FROM ticket_attachment WHERE ticket_id IS NOT NULL`)).toEqual(used);
  });
});
