import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { DataSource } from 'typeorm';

declare module 'fastify' {
  interface FastifyInstance {
    db: DataSource;
  }
}

/** Exposes the process's DataSource; its lifetime is owned by whoever created it (server.ts or the test helper). */
export default fp(
  async function dbPlugin(app: FastifyInstance, opts: { dataSource: DataSource }) {
    app.decorate('db', opts.dataSource);
  },
  { name: 'db' },
);
