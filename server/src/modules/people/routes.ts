import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { IdParams, Page, Person, PersonCreate, PersonListQuery, PersonUpdate, StdErrors } from '@guanjia/shared';
import { AppError } from '../../lib/app-error';
import { mayListPeople, PEOPLE_ROLES } from './people.policy';
import { createPerson, getPerson, listPeople, updatePerson } from './person.service';

export async function peopleRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const editors = app.requireRoles(...PEOPLE_ROLES.edit);
  const readers = app.requireRoles(...PEOPLE_ROLES.list);

  // People management is the coordinator's and the admin's (issue 13). A leader only looks up leaders — the
  // 包联领导 pickers of the project screens — and is refused the rest of the list and every person's record.
  app.get('/people', {
    onRequest: readers,
    schema: { tags: ['people'], summary: '人员列表（领导仅可查领导名单）', querystring: PersonListQuery, response: { 200: Page(Person), ...StdErrors } },
  }, async (req) => {
    if (!mayListPeople(req.auth, req.query.role)) throw new AppError('FORBIDDEN');
    return listPeople(app.db, req.auth, req.query);
  });
  app.get('/people/:id', { onRequest: editors, schema: { tags: ['people'], summary: '人员详情', params: IdParams, response: { 200: Person, ...StdErrors } } },
    async (req) => getPerson(app.db, req.auth, req.params.id));
  app.post('/people', { onRequest: editors, config: { idempotent: true }, schema: { tags: ['people'], summary: '新增人员', body: PersonCreate, response: { 201: Person, ...StdErrors } } },
    async (req, reply) => reply.status(201).send(await createPerson(app.db, req.auth, req.body)));
  app.patch('/people/:id', { onRequest: editors, schema: { tags: ['people'], summary: '修改人员（需带版本号）', params: IdParams, body: PersonUpdate, response: { 200: Person, ...StdErrors } } },
    async (req) => updatePerson(app.db, req.auth, req.params.id, req.body, (id) => app.personState.forget(id)));
}
