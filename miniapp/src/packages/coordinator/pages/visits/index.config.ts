export default definePageConfig({ navigationBarTitleText: '走访督查', enablePullDownRefresh: true });
