import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { District } from './modules/org/district.entity';
import { Area } from './modules/org/area.entity';
import { Department } from './modules/org/department.entity';
import { Enterprise } from './modules/enterprises/enterprise.entity';
import { Person } from './modules/people/person.entity';
import { Assignment } from './modules/assignments/assignment.entity';
import { migrations } from './migrations';

export const entities = [District, Area, Department, Enterprise, Person, Assignment];

/** One DataSource per process (or per test file); migrations are listed explicitly so ts and compiled js both load. */
export function createDataSource(url: string, opts: { poolSize?: number; applicationName?: string } = {}): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities,
    migrations,
    synchronize: false,
    migrationsTransactionMode: 'each',
    uuidExtension: 'pgcrypto',
    logging: false, // failures surface through the error handler's structured log
    extra: { max: opts.poolSize ?? 10, application_name: opts.applicationName ?? 'guanjia' },
  });
}
