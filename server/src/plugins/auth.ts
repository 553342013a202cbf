import fp from 'fastify-plugin';
import jwt from '@fastify/jwt';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify';
import { DISTRICT_WIDE_ROLES, type Role } from '@guanjia/shared';
import { AppError } from '../lib/app-error';

/** Who is calling: read from the access token on every authenticated request. */
export type AuthUser = {
  id: string;
  districtId: string;
  roles: Role[];
  enterpriseId: string | null;
  departmentId: string | null;
};

type AccessClaims = { sub: string; did: string; roles: Role[]; eid: string | null; dep: string | null; typ: 'access' };

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: AccessClaims | Record<string, unknown>;
    user: AccessClaims;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** preHandler: 401 unless a valid access token is presented. */
    authenticate: preHandlerHookHandler;
    /** preHandler: authenticate, then 403 unless the caller holds one of `roles`. */
    requireRoles: (...roles: Role[]) => preHandlerHookHandler;
    signAccessToken: (u: AuthUser) => string;
  }
  interface FastifyRequest {
    auth: AuthUser;
  }
}

/** True when the person sees the whole district rather than their own slice of it. */
export function isDistrictWide(u: AuthUser): boolean {
  return u.roles.some((r) => DISTRICT_WIDE_ROLES.includes(r));
}

export default fp(
  async function authPlugin(app: FastifyInstance, opts: { secret: string; accessTtlSeconds: number }) {
    await app.register(jwt, { secret: opts.secret, sign: { expiresIn: opts.accessTtlSeconds } });
    app.decorateRequest('auth', null as unknown as AuthUser);

    app.decorate('signAccessToken', (u: AuthUser) =>
      app.jwt.sign({ sub: u.id, did: u.districtId, roles: u.roles, eid: u.enterpriseId, dep: u.departmentId, typ: 'access' }),
    );

    const authenticate = async (req: FastifyRequest, _reply: FastifyReply) => {
      if (!req.headers.authorization) throw new AppError('UNAUTHENTICATED');
      let claims: AccessClaims;
      try {
        claims = await req.jwtVerify<AccessClaims>();
      } catch (e) {
        const code = (e as { code?: string }).code;
        throw new AppError(code === 'FST_JWT_AUTHORIZATION_TOKEN_EXPIRED' ? 'TOKEN_EXPIRED' : 'UNAUTHENTICATED');
      }
      if (claims.typ !== 'access') throw new AppError('UNAUTHENTICATED');
      req.auth = { id: claims.sub, districtId: claims.did, roles: claims.roles, enterpriseId: claims.eid, departmentId: claims.dep };
    };
    app.decorate('authenticate', authenticate as preHandlerHookHandler);
    app.decorate('requireRoles', (...roles: Role[]) => {
      const guard = async (req: FastifyRequest, reply: FastifyReply) => {
        await authenticate(req, reply);
        if (!req.auth.roles.some((r) => roles.includes(r))) throw new AppError('FORBIDDEN');
      };
      return guard as preHandlerHookHandler;
    });
  },
  { name: 'auth' },
);
