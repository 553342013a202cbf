export default definePageConfig({ navigationBarTitleText: '记录沟通' });
