export default definePageConfig({ navigationBarTitleText: '现场走访' });
