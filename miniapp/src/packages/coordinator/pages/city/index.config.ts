export default definePageConfig({ navigationBarTitleText: '全市对比', enablePullDownRefresh: true });
