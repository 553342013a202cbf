export default definePageConfig({ navigationBarTitleText: '我包保的企业', enablePullDownRefresh: true });
