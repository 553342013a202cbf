export default definePageConfig({ navigationBarTitleText: '重点项目', enablePullDownRefresh: true, backgroundTextStyle: 'dark' });
