import 'reflect-metadata';
import { DataSource } from 'typeorm';
import pg from 'pg';
import { migrations } from './migrations';

/**
 * One DataSource per process (or per test file); migrations are listed explicitly so ts and compiled js both load.
 * No entities: every query is SQL through this connection (docs/adr/0017-sql-through-typeorm.md).
 */
export function createDataSource(url: string, opts: { poolSize?: number; applicationName?: string } = {}): DataSource {
  return new DataSource({
    type: 'postgres',
    // The driver given, not loaded by TypeORM's own require('pg'): the server bundle (scripts/bundle-server.js)
    // holds one copy of pg, which a require by name at run time would load a second time from node_modules.
    driver: pg,
    url,
    migrations,
    synchronize: false,
    migrationsTransactionMode: 'each',
    uuidExtension: 'pgcrypto',
    logging: false, // failures surface through the error handler's structured log
    extra: { max: opts.poolSize ?? 10, application_name: opts.applicationName ?? 'guanjia' },
  });
}
