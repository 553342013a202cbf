export default definePageConfig({ navigationBarTitleText: '问卷编辑' });
