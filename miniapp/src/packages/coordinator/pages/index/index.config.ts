export default definePageConfig({ navigationBarTitleText: 'coordinator' });
