export default definePageConfig({ navigationBarTitleText: '开通清单', enablePullDownRefresh: true });
