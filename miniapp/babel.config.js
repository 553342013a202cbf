// babel-preset-taro options: https://docs.taro.zone/docs/next/babel-config
// Project-wide config, so it also compiles ../shared/src (aliased as @guanjia/shared, see config/index.ts).
// hot: false — React fast refresh needs react-refresh and its webpack plugin, which we do not install; the H5
// dev server still reloads the page on change (config/index.ts sets devServer.hot to false to match).
module.exports = {
  presets: [['taro', { framework: 'react', ts: true, compiler: 'webpack5', hot: false }]],
};
