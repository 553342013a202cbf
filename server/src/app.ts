import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import SerializerSelector from '@fastify/fast-json-stringify-compiler';
import type { DataSource } from 'typeorm';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import helmet from '@fastify/helmet';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Config } from './config';
import { safeErrSerializer, scrubText } from './lib/log-safety';
import errorsPlugin, { clientErrorHandler, frameworkErrors } from './plugins/errors';
import { validatorCompiler } from './lib/validation';
import dbPlugin from './plugins/db';
import { usePreparedStatements } from './lib/prepared';
import metricsPlugin from './plugins/metrics';
import authPlugin from './plugins/auth';
import idempotencyPlugin from './plugins/idempotency';
import wechatPlugin from './plugins/wechat';
import staticH5 from './plugins/static-h5';
import { healthRoutes } from './modules/health/routes';
import { apiRoutes } from './routes';
import { named } from './lib/plugin-name';
import type { WechatClient } from './modules/wechat/wechat-client';

declare module 'fastify' {
  interface FastifyInstance {
    /** The validated configuration this app was built with (jobs read retention periods and paths from it). */
    config: Config;
  }
}

export type BuildOptions = {
  config: Config;
  dataSource: DataSource;
  /** a replica (READ_DATABASE_URL) for report reads; default: dataSource */
  readDataSource?: DataSource | null;
  /** tests inject a client whose HTTP layer they control */
  wechat?: WechatClient;
  logger?: boolean | object;
  /** where the production logger writes (tests capture it); default stdout */
  logStream?: { write: (line: string) => void };
};

/** Redacted in every log line: secrets and personal data never reach the logs. */
export const LOG_REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.password',
  '*.passwordHash',
  '*.password_hash',
  '*.refreshToken',
  '*.accessToken',
  '*.bindToken',
  '*.invitationCode',
  '*.invitation_code',
  '*.phone',
  '*.parameters',
  '*.query',
];

/**
 * The app's pino options: redaction of known fields, a request serializer that drops the query string (people
 * search carries phone numbers), and an error serializer that never logs SQL, bound values or PostgreSQL's echo
 * of them (lib/log-safety.ts).
 */
export function loggerOptions(config: Pick<Config, 'logLevel'>, stream?: BuildOptions['logStream']): object {
  return {
    level: config.logLevel,
    redact: { paths: LOG_REDACT, censor: '[redacted]' },
    serializers: {
      req: (r: { method: string; url: string; id: string }) => ({ method: r.method, url: scrubText(r.url.split('?')[0]), id: r.id }),
      err: safeErrSerializer,
      error: safeErrSerializer,
    },
    ...(stream ? { stream } : {}),
  };
}

type SerializerFactory = ReturnType<typeof SerializerSelector>;
const defaultSerializers: SerializerFactory = SerializerSelector();

/**
 * Fastify's own response serializers (fast-json-stringify), built on a route's first answer with that status
 * instead of at start: with the validators (lib/validation.ts), compiling every route's schemas took most of the
 * time to /readyz (docs/benchmarks.md: start-up < 2 s).
 */
const lazySerializerFactory: SerializerFactory = (external, opts) => {
  const compile = defaultSerializers(external, opts);
  return (route) => {
    let fn: ((data: unknown) => string) | null = null;
    return (data: unknown) => (fn ??= compile(route))(data);
  };
};

/**
 * Swagger UI's page files, named from its package folder: the server bundle (scripts/bundle-server.js) holds the
 * plugin's code, whose own `__dirname` then is the bundle's folder (the plugin's "Bundling" option, baseDir).
 */
function swaggerUiFiles() {
  const dir = path.join(path.dirname(require.resolve('@fastify/swagger-ui/package.json')), 'static');
  return { baseDir: dir, logo: { type: 'image/svg+xml', content: fs.readFileSync(path.join(dir, 'logo.svg')) } };
}

/** Builds the app in three stages: external plugins → app plugins → routes. Listening is the caller's job. */
export async function buildApp(opts: BuildOptions): Promise<FastifyInstance> {
  const { config } = opts;
  const app = Fastify({
    logger: opts.logger ?? loggerOptions(config, opts.logStream),
    bodyLimit: 1024 * 1024,
    // Router and HTTP-parser errors answer in the one error shape too (414, 431, bad URL encoding).
    frameworkErrors,
    clientErrorHandler,
    // X-Forwarded-For is believed only from the proxies named in TRUST_PROXY: otherwise anyone could pick the
    // address the login rate limit and lockout count against.
    trustProxy: config.trustProxy.length ? config.trustProxy : false,
    genReqId: () => Math.random().toString(36).slice(2, 12),
    schemaController: { compilersFactory: { buildSerializer: lazySerializerFactory } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // No coercion of JSON bodies, no non-finite numbers, no control characters (lib/validation.ts).
  app.setValidatorCompiler(validatorCompiler());

  // 1. external plugins
  await app.register(errorsPlugin);
  await app.register(helmet, { contentSecurityPolicy: false, global: true });
  await app.register(cors, { origin: false });
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Guanjia 管家 API', version: '0.1.0', description: '企业管家服务平台接口' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', ...swaggerUiFiles() });

  // 2. app plugins
  app.decorate('config', config);
  usePreparedStatements(config.preparedStatements);
  await app.register(dbPlugin, { dataSource: opts.dataSource, readDataSource: opts.readDataSource });
  app.decorate('jobRunner', { current: null });
  await app.register(metricsPlugin, { dataSource: opts.dataSource, token: config.metricsToken });
  await app.register(authPlugin, { secret: config.jwtSecret, accessTtlSeconds: config.accessTokenTtlSeconds });
  await app.register(idempotencyPlugin, { leaseSeconds: config.idempotencyLeaseSeconds });
  await app.register(wechatPlugin, { config: config.wechat, client: opts.wechat });

  // 3. routes
  await app.register(named(healthRoutes));
  await app.register(named(apiRoutes), { prefix: '/api/v1', config });
  if (config.h5Dir) await app.register(staticH5, { root: config.h5Dir });
  return app;
}
