export default definePageConfig({ navigationBarTitleText: 'steward' });
