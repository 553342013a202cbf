import path from 'node:path';
import { defineConfig, type UserConfigExport } from '@tarojs/cli';

/**
 * Taro build configuration for both targets. Each platform writes to its own folder (dist/weapp, dist/h5) so
 * the two builds never overwrite each other and the server can serve dist/h5 as is.
 */
const platform = process.env.TARO_ENV === 'h5' ? 'h5' : 'weapp';
const sharedSrc = path.resolve(__dirname, '../../shared/src');

/**
 * Origin of the API. H5 is served by the Fastify server itself, so '' (same origin) is right there; the
 * mini-program needs an absolute https origin registered in the WeChat console (developer tools accept
 * http://127.0.0.1:3000 with "不校验合法域名"). A TARO_APP_API_BASE in .env files overrides this value.
 */
const apiBase = process.env.TARO_APP_API_BASE ?? (platform === 'h5' ? '' : 'http://127.0.0.1:3000');

/** NutUI is drawn at 375 px; everything of ours at 750 (Taro's default): one function serves both. */
function designWidth(input?: unknown): number {
  const file =
    typeof input === 'string' ? input : (input as { file?: string } | undefined)?.file ?? '';
  return file.replace(/\\+/g, '/').includes('@nutui') ? 375 : 750;
}

export default defineConfig<'webpack5'>(async (merge) => {
  const base: UserConfigExport<'webpack5'> = {
    projectName: 'guanjia-miniapp',
    date: '2026-11-25',
    designWidth,
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    outputRoot: `dist/${platform}`,
    plugins: [],
    defineConstants: {},
    // TARO_APP_DISTRICT: a district's own build pre-fills the self-join form's 区县代码 (empty: the contact types it).
    env: { TARO_APP_API_BASE: JSON.stringify(apiBase), TARO_APP_DISTRICT: JSON.stringify(process.env.TARO_APP_DISTRICT ?? '') },
    alias: {
      '@guanjia/shared': sharedSrc,
      '@': path.resolve(__dirname, '../src'),
    },
    copy: { patterns: [], options: {} },
    framework: 'react',
    compiler: 'webpack5',
    cache: { enable: false },
    // H5: esbuild minifies the JS in seconds where terser (Taro's default) took about a minute of a 2-core machine's
    // build, the longest step before jest in CI; the bundle is 4 % larger (2.04 → 2.12 MB of JS). es2015: terser's output kept const and
    // let already, and esbuild refuses Taro's default es5 target for them. Top level, not under h5: Taro merges these
    // keys into each platform's config, and its H5 type has no jsMinimizer. The WeChat build keeps terser.
    // The CSS stays with csso: Taro 4.2.1's esbuild CSS minimizer fails ("Invalid option: preset").
    ...(platform === 'h5' ? { jsMinimizer: 'esbuild' as const, esbuild: { minify: { enable: true, config: { target: 'es2015' } } } } : {}),
    mini: {
      // The shared package is TypeScript source outside src/: let Taro's babel rule compile it.
      compile: { include: [sharedSrc] },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } },
      },
    },
    h5: {
      publicPath: '/',
      staticDirectory: 'static',
      // Served at the site root. No `basename: '/'`: Taro 4.2.1 hands it to universal-router as baseUrl and
      // then no route matches (blank page, no error). Leaving it unset means the root.
      router: { mode: 'browser' },
      // `npm run dev:h5 -w miniapp`: page reload on change, the API proxied to a local server on :3000.
      devServer: { port: 10086, hot: false, proxy: [{ context: ['/api'], target: 'http://127.0.0.1:3000' }] },
      compile: { include: [sharedSrc] },
      output: {
        filename: 'js/[name].[contenthash:8].js',
        chunkFilename: 'js/[name].[contenthash:8].js',
      },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[contenthash:8].css',
        chunkFilename: 'css/[name].[contenthash:8].css',
      },
      // Taro splits only initial chunks on H5 (chunks: 'initial'), so every lazily loaded page carried its own
      // copy of NutUI and the service layer (7 × 155 KB). Splitting async chunks too shares them.
      webpackChain(chain) {
        chain.optimization.splitChunks({ ...(chain.optimization.get('splitChunks') as object), chunks: 'all' });
      },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        // The root font grows with the screen up to maxRootSize (default 40 px, i.e. 2× a 375 px phone), but NutUI's
        // sizes are CSS variables in px that never scale: on a coordinator's desk our text came out twice the size
        // of NutUI's buttons. Capping at the phone's 20 px keeps both at phone scale on any wider screen.
        pxtransform: { enable: true, config: { maxRootSize: 20 } },
        cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } },
      },
    },
  };
  return merge({}, base);
});
