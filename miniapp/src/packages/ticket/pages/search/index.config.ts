export default definePageConfig({ navigationBarTitleText: '查找诉求', enablePullDownRefresh: true, backgroundTextStyle: 'dark' });
