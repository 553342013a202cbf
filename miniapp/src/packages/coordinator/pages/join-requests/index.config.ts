export default definePageConfig({ navigationBarTitleText: '企业加入申请', enablePullDownRefresh: true });
