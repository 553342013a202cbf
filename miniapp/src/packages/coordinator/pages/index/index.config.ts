export default definePageConfig({ navigationBarTitleText: '调度中心', enablePullDownRefresh: true });
