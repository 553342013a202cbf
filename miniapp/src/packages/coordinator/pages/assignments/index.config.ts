export default definePageConfig({ navigationBarTitleText: '包保关系', enablePullDownRefresh: true });
