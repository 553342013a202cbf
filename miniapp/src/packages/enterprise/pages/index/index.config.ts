export default definePageConfig({ navigationBarTitleText: 'enterprise' });
