export default definePageConfig({ navigationBarTitleText: '领导驾驶舱', enablePullDownRefresh: true });
