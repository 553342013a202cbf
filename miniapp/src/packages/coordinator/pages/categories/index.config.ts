export default definePageConfig({ navigationBarTitleText: '诉求类别' });
