import fp from 'fastify-plugin';
import jwt from '@fastify/jwt';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify';
import type { PrincipalRole, Role, Scope } from '@guanjia/shared';
import { AppError } from '../lib/app-error';
import { asDistrictUser, type AuthUser, type Principal } from '../lib/principal';
import { PersonStateCache } from '../modules/auth/person-state';

export { isDistrictWide, type AuthUser, type Principal } from '../lib/principal';

type AccessClaims = {
  sub: string; scp: Scope; did: string | null; cty: string | null; roles: PrincipalRole[]; eid: string | null; dep: string | null;
  ver: number; typ: 'access';
};

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: AccessClaims | Record<string, unknown>;
    user: AccessClaims;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** onRequest: 401 unless a valid access token of a district person is presented (403 for other scopes). */
    authenticate: preHandlerHookHandler;
    /** onRequest: authenticate a district person, then 403 unless they hold one of `roles`. */
    requireRoles: (...roles: Role[]) => preHandlerHookHandler;
    /** onRequest: any scope (e.g. /me); sets `req.principal`, and `req.auth` for district people. */
    authenticateAny: preHandlerHookHandler;
    /** onRequest: 403 unless the caller's scope is one of `scopes` (and, when given, holds one of `roles`). */
    requireScope: (scopes: Scope[], roles?: PrincipalRole[]) => preHandlerHookHandler;
    signAccessToken: (p: Principal & { tokenVersion: number }) => string;
    personState: PersonStateCache;
  }
  interface FastifyRequest {
    auth: AuthUser;
    principal: Principal;
  }
}

export default fp(
  async function authPlugin(app: FastifyInstance, opts: { secret: string; accessTtlSeconds: number; personStateTtlMs?: number }) {
    await app.register(jwt, { secret: opts.secret, sign: { expiresIn: opts.accessTtlSeconds } });
    app.decorateRequest('auth', null as unknown as AuthUser);
    app.decorateRequest('principal', null as unknown as Principal);
    app.decorate('personState', new PersonStateCache(app.db, opts.personStateTtlMs ?? 5000));

    app.decorate('signAccessToken', (p: Principal & { tokenVersion: number }) =>
      app.jwt.sign({
        sub: p.id, scp: p.scope, did: p.districtId, cty: p.cityCode, roles: p.roles, eid: p.enterpriseId, dep: p.departmentId,
        ver: p.tokenVersion, typ: 'access',
      }),
    );

    const verify = async (req: FastifyRequest): Promise<Principal> => {
      if (!req.headers.authorization) throw new AppError('UNAUTHENTICATED');
      let c: AccessClaims;
      try {
        c = await req.jwtVerify<AccessClaims>();
      } catch (e) {
        const code = (e as { code?: string }).code;
        throw new AppError(code === 'FST_JWT_AUTHORIZATION_TOKEN_EXPIRED' ? 'TOKEN_EXPIRED' : 'UNAUTHENTICATED');
      }
      if (c.typ !== 'access' || typeof c.sub !== 'string' || !Number.isInteger(c.ver)) throw new AppError('UNAUTHENTICATED');
      // A disabled person, or one whose roles or unit changed, must not keep acting on an old token.
      if (!(await app.personState.isCurrent(c.sub, c.ver))) throw new AppError('TOKEN_EXPIRED');
      const p: Principal = { id: c.sub, scope: c.scp, districtId: c.did, cityCode: c.cty, roles: c.roles, enterpriseId: c.eid, departmentId: c.dep };
      req.principal = p;
      const u = asDistrictUser(p);
      if (u) req.auth = u;
      return p;
    };

    const authenticate = async (req: FastifyRequest, _reply: FastifyReply) => {
      const p = await verify(req);
      if (p.scope !== 'district') throw new AppError('SCOPE_FORBIDDEN');
    };
    app.decorate('authenticate', authenticate as preHandlerHookHandler);
    app.decorate('authenticateAny', (async (req: FastifyRequest) => {
      await verify(req);
    }) as preHandlerHookHandler);
    app.decorate('requireRoles', (...roles: Role[]) => {
      const guard = async (req: FastifyRequest, reply: FastifyReply) => {
        await authenticate(req, reply);
        if (!req.auth.roles.some((r) => roles.includes(r))) throw new AppError('FORBIDDEN');
      };
      return guard as preHandlerHookHandler;
    });
    app.decorate('requireScope', (scopes: Scope[], roles?: PrincipalRole[]) => {
      const guard = async (req: FastifyRequest) => {
        const p = await verify(req);
        if (!scopes.includes(p.scope)) throw new AppError('SCOPE_FORBIDDEN');
        if (roles && !p.roles.some((r) => roles.includes(r))) throw new AppError('FORBIDDEN');
      };
      return guard as preHandlerHookHandler;
    });
  },
  { name: 'auth', dependencies: ['db'] },
);
