import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { createWechatClient, type WechatClient } from '../modules/wechat/wechat-client';
import type { Config } from '../config';

declare module 'fastify' {
  interface FastifyInstance {
    wechat: WechatClient;
  }
}

/** The WeChat adapter chosen by configuration (or injected by tests). */
export default fp(
  async function wechatPlugin(app: FastifyInstance, opts: { config: Config['wechat']; client?: WechatClient }) {
    app.decorate('wechat', opts.client ?? createWechatClient(opts.config));
  },
  { name: 'wechat' },
);
