export default definePageConfig({ navigationBarTitleText: '管家评价' });
