export default definePageConfig({ navigationBarTitleText: 'department' });
