import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { DataSource } from 'typeorm';

declare module 'fastify' {
  interface FastifyInstance {
    db: DataSource;
    /** READ_DATABASE_URL's replica for lag-tolerant report reads; the primary (`db`) when none is configured */
    readDb: DataSource;
  }
}

/** Exposes the process's DataSource; its lifetime is owned by whoever created it (server.ts or the test helper). */
export default fp(
  async function dbPlugin(app: FastifyInstance, opts: { dataSource: DataSource; readDataSource?: DataSource | null }) {
    app.decorate('db', opts.dataSource);
    app.decorate('readDb', opts.readDataSource ?? opts.dataSource);
  },
  { name: 'db' },
);
