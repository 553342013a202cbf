export default definePageConfig({ navigationBarTitleText: '本企业联系人' });
