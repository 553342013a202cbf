export default definePageConfig({ navigationBarTitleText: '月度调度' });
