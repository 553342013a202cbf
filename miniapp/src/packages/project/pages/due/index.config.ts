export default definePageConfig({ navigationBarTitleText: '调度清单', enablePullDownRefresh: true, backgroundTextStyle: 'dark' });
