/**
 * Main package: only what every user needs at once (login, the role-aware home, "mine"); each role's screens
 * live in its own subpackage so the main package stays small and each role downloads only its own code.
 */
export default defineAppConfig({
  entryPagePath: 'pages/home/index',
  pages: ['pages/home/index', 'pages/mine/index', 'pages/login/index'],
  subPackages: [
    { root: 'packages/enterprise', pages: ['pages/index/index', 'pages/new/index', 'pages/join/index', 'pages/contacts/index'] },
    { root: 'packages/steward', pages: ['pages/index/index', 'pages/enterprise/index', 'pages/checkin/index', 'pages/contact/index', 'pages/visit/index', 'pages/ticket/index'] },
    { root: 'packages/department', pages: ['pages/index/index', 'pages/supervisions/index', 'pages/phrases/index'] },
    { root: 'packages/coordinator', pages: ['pages/index/index', 'pages/queue/index', 'pages/dispatch/index', 'pages/meeting/index', 'pages/supervisions/index', 'pages/followups/index', 'pages/people/index', 'pages/assignments/index', 'pages/departments/index', 'pages/areas/index', 'pages/categories/index', 'pages/rules/index', 'pages/calendar/index', 'pages/visits/index', 'pages/districts/index', 'pages/city/index', 'pages/setup/index', 'pages/import/index', 'pages/join-requests/index'] },
    // 考核排名: district-wide people read and publish; departments and stewards read what was published.
    { root: 'packages/stats', pages: ['pages/ranking/index', 'pages/steward/index', 'pages/settings/index'] },
    // 重点项目: 我的项目 / the ledger, a project's detail, the monthly 调度 form, the stage change, and the coordinator's
    // desk: 调度清单, 三个一批, 调度会, 项目统计.
    { root: 'packages/project', pages: ['pages/list/index', 'pages/detail/index', 'pages/report/index', 'pages/stage/index', 'pages/due/index', 'pages/batches/index', 'pages/meetings/index', 'pages/stats/index'] },
    // 政策直达 / 免申即享 (ADR 0014): 惠企政策, 送政策上门, the policy editor with its live count, figures.
    { root: 'packages/policy', pages: ['pages/list/index', 'pages/detail/index', 'pages/editor/index', 'pages/surveys/index', 'pages/survey/index', 'pages/profile/index', 'pages/survey-editor/index'] },
    // 数据看板, 领导驾驶舱 and the drill-down list; holds the chart library (AntV F2) out of the main package.
    { root: 'packages/dashboard', pages: ['pages/index/index', 'pages/cockpit/index', 'pages/tickets/index'] },
    // 诉求 detail, its action forms and notifications: every role opens them.
    { root: 'packages/ticket', pages: ['pages/detail/index', 'pages/action/index', 'pages/notifications/index', 'pages/search/index'] },
  ],
  window: {
    // H5 draws Taro's own title bar with it (title, and a back button on subpages — a home button on a page opened
    // by its address); the mini-program's native bar is the default anyway (issue 13).
    navigationStyle: 'default',
    navigationBarTitleText: '项目管家',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTextStyle: 'black',
    backgroundColor: '#f5f6f7',
    backgroundTextStyle: 'dark',
  },
  tabBar: {
    color: '#8c8c8c',
    selectedColor: '#fa2c19',
    backgroundColor: '#ffffff',
    borderStyle: 'white',
    list: [
      { pagePath: 'pages/home/index', text: '工作台', iconPath: 'assets/tabbar/home.png', selectedIconPath: 'assets/tabbar/home-active.png' },
      { pagePath: 'pages/mine/index', text: '我的', iconPath: 'assets/tabbar/mine.png', selectedIconPath: 'assets/tabbar/mine-active.png' },
    ],
  },
  // Check-in at an enterprise reads the location (STACK-NOTES: every location API must be declared).
  requiredPrivateInfos: ['getLocation'],
  permission: {
    'scope.userLocation': { desc: '用于走访签到时确认您在企业现场' },
  },
  lazyCodeLoading: 'requiredComponents',
});
