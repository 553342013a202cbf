export default definePageConfig({ navigationBarTitleText: '三个一批', enablePullDownRefresh: true, backgroundTextStyle: 'dark' });
