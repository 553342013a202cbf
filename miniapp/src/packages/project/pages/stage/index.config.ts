export default definePageConfig({ navigationBarTitleText: '变更项目阶段' });
