export default definePageConfig({ navigationBarTitleText: '部门收件箱', enablePullDownRefresh: true, backgroundTextStyle: 'dark' });
