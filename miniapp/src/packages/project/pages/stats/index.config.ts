export default definePageConfig({ navigationBarTitleText: '项目统计', enablePullDownRefresh: true, backgroundTextStyle: 'dark' });
