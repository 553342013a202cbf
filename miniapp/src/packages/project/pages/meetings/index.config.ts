export default definePageConfig({ navigationBarTitleText: '重点项目调度会', enablePullDownRefresh: true, backgroundTextStyle: 'dark' });
