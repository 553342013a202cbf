export default definePageConfig({ navigationBarTitleText: '区县开通' });
