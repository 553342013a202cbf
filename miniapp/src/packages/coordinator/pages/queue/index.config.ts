export default definePageConfig({ navigationBarTitleText: '调度队列', enablePullDownRefresh: true });
