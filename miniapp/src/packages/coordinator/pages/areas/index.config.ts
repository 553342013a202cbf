export default definePageConfig({ navigationBarTitleText: '属地' });
