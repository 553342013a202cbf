export default definePageConfig({ navigationBarTitleText: '企业自助加入' });
