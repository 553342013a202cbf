import fs from 'node:fs';
import path from 'node:path';
import fp from 'fastify-plugin';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** Serves the mini-app's H5 build at `/` (the desk web app), with history-mode fallback to index.html. */
export default fp(
  async function staticH5(app: FastifyInstance, opts: { root: string }) {
    const index = path.join(opts.root, 'index.html');
    if (!fs.existsSync(index)) {
      app.log.warn({ root: opts.root }, 'H5 build not found; run `npm run build:h5` to serve the web app at /');
      return;
    }
    await app.register(fastifyStatic, { root: opts.root, prefix: '/', wildcard: false, index: ['index.html'] });
    app.get('/*', { schema: { hide: true } }, (req, reply) => {
      const p = req.url.split('?')[0];
      if (p.startsWith('/api/') || p.startsWith('/docs')) {
        return reply.status(404).send({ error: { code: 'ROUTE_NOT_FOUND', message: '接口不存在' } });
      }
      return reply.type('text/html').send(fs.createReadStream(index));
    });
  },
  { name: 'static-h5' },
);
