export default definePageConfig({ navigationBarTitleText: '代企业提交诉求' });
