import { useCallback, useEffect, useState } from 'react';
import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { Cell, CellGroup } from '../../../../components/nutui';
import { StatusView } from '../../../../components/status-view';
import { useSession } from '../../../../hooks/use-session';
import { messageOf } from '../../../../services';
import type { CoverageReport, TicketStats } from '../../../../services/admin';
import { todayInShanghai } from '../../../../services/display';
import { admin, CO_PAGES, pageUrl, param } from '../../lib/api';
import { useReshow } from '../../lib/hooks';
import { PAGES } from '../../../../services/pages';
import './index.scss';

/** Where each home-screen work item (role-home.ts `item`) lands. */
const ITEM_PAGES: Record<string, string> = {
  dispatch: pageUrl(CO_PAGES.queue, { kind: 'dispatch' }),
  returned: pageUrl(CO_PAGES.queue, { kind: 'returned' }),
  extensions: pageUrl(CO_PAGES.queue, { kind: 'extensions' }),
  overdue: pageUrl(CO_PAGES.queue, { kind: 'overdue' }),
  escalations: pageUrl(CO_PAGES.queue, { kind: 'escalations' }),
  closing: pageUrl(CO_PAGES.queue, { kind: 'closing' }),
  followups: CO_PAGES.followups,
  supervisions: CO_PAGES.supervisions,
};

type Tile = { key: string; label: string; desc: string; url: string; count?: number; more?: boolean };

const TILES: Omit<Tile, 'count'>[] = [
  { key: 'dispatch', label: '待交办', desc: '未匹配交办规则', url: ITEM_PAGES.dispatch },
  { key: 'returned', label: '被退回', desc: '部门退回，需改派', url: ITEM_PAGES.returned },
  { key: 'extensions', label: '延期审批', desc: '部门申请延期', url: ITEM_PAGES.extensions },
  { key: 'overdue', label: '超期诉求', desc: '可督办、改派、升级', url: ITEM_PAGES.overdue },
  { key: 'supervisions', label: '督办单', desc: '已下发未签收', url: ITEM_PAGES.supervisions },
  { key: 'followups', label: '回访任务', desc: '电话回访并记录', url: ITEM_PAGES.followups },
  { key: 'escalations', label: '升级事项', desc: '2 级及以上', url: ITEM_PAGES.escalations },
  { key: 'closing', label: '待销号', desc: '企业已确认，待销号', url: ITEM_PAGES.closing },
];

const CONFIG = [
  { title: '诉求类别', description: '两级类别与办理期限', url: CO_PAGES.categories },
  { title: '交办规则', description: '类别 + 属地 → 主办、协办部门', url: CO_PAGES.rules },
  { title: '节假日日历', description: '法定节假日与调休，用于计算工作日', url: CO_PAGES.calendar },
];
const FIND = [
  { title: '查找诉求', description: '按编号、企业、部门、状态、属地、类别、日期、超期筛选', url: PAGES.ticket.search },
];
const VISITS = [
  { title: '走访督查', description: '外勤与异常签到复核、企业位置建议、管家走访逾期情况', url: CO_PAGES.visits },
];
// 重点项目: the coordinator's project desk (its own subpackage)
const PROJECT_DESK = [
  { title: '项目台账', description: '阶段、红黄绿灯、级别、属地、包联领导、批次筛选', url: `${PAGES.project.list}?item=ledger` },
  { title: '调度清单', description: '本月未填报调度信息的项目与管家，一键催报', url: PAGES.project.due },
  { title: '三个一批', description: '签约一批、开工一批、投产一批及兑现', url: PAGES.project.batches },
  { title: '重点项目调度会', description: '议程、会议记录与交办事项', url: PAGES.project.meetings },
  { title: '项目统计', description: '开工率、投资完成、时间进度与月报段落', url: PAGES.project.stats },
];
const ORG = [
  { title: '人员与邀请码', description: '新增人员、分配角色、生成微信绑定邀请码', url: CO_PAGES.people },
  { title: '包保关系', description: '为企业指派管家', url: CO_PAGES.assignments },
  { title: '部门', description: '承办部门及其职能', url: CO_PAGES.departments },
  { title: '属地', description: '乡镇、街道、园区', url: CO_PAGES.areas },
];

async function loadCounts(roles: readonly string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const coordinator = roles.includes('coordinator');
  const jobs: Promise<unknown>[] = [
    admin.allTickets({ overdue: true }).then((x) => (out.overdue = x.length)),
    admin.supervisions({ status: 'issued' }).then((p) => (out.supervisions = p.items.length)),
    admin.escalations().then((x) => (out.escalations = x.length)),
    admin.returnVisits({ status: 'open' }).then((p) => (out.followups = p.items.length)),
  ];
  if (coordinator) {
    jobs.push(admin.counts().then((c) => Object.assign(out, { dispatch: c.pendingDispatch ?? 0, returned: c.returned ?? 0, extensions: c.extensionPending ?? 0, closing: c.awaitingClose ?? 0 })));
  }
  await Promise.allSettled(jobs);
  return out;
}

/**
 * 调度中心: how much waits in each queue, the month at a glance, and the district's configuration and
 * organisation. The home screen's work items open their queue directly.
 */
export default function CoordinatorIndex() {
  const { user, error: sessionError, reload: reloadSession } = useSession();
  const { params } = useRouter();
  const item = param(params, 'item');
  const [counts, setCounts] = useState<Record<string, number>>();
  const [stats, setStats] = useState<{ tickets?: TicketStats; year?: TicketStats; coverage?: CoverageReport; paragraph?: string; error?: string; from?: string; to?: string }>();
  const roles = user?.roles ?? [];
  const roleKey = roles.join(',');
  const coordinator = roles.includes('coordinator');
  const editor = coordinator || roles.includes('admin');
  const overseer = coordinator || roles.includes('leader') || roles.includes('admin');

  useEffect(() => {
    if (ITEM_PAGES[item]) void Taro.redirectTo({ url: ITEM_PAGES[item] });
  }, [item]);

  const load = useCallback(async () => {
    if (!roleKey) return;
    const rs = roleKey.split(',');
    const today = todayInShanghai();
    const from = `${today.slice(0, 8)}01`;
    // The month alone reads 0 on its first days: the year to date sits beside it, each labelled.
    const [c, tickets, year, coverage, report] = await Promise.all([
      rs.includes('coordinator') || rs.includes('leader') ? loadCounts(rs) : Promise.resolve({}),
      admin.ticketStats(from, today).catch((e: unknown) => messageOf(e)),
      admin.ticketStats(`${today.slice(0, 4)}-01-01`, today).catch(() => undefined),
      admin.coverage(from, today).catch(() => undefined),
      admin.monthlyReport(today.slice(0, 7)).catch(() => undefined),
    ]);
    setCounts(c);
    setStats(typeof tickets === 'string' ? { error: tickets } : { tickets, year, coverage, paragraph: report?.paragraph, from, to: today });
  }, [roleKey]);

  useEffect(() => {
    if (!ITEM_PAGES[item]) void load();
  }, [load, item]);
  useReshow(() => void load());
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()));

  if (!user) return sessionError ? <StatusView status="error" message={sessionError} onRetry={reloadSession} /> : <StatusView status="loading" />;
  if (ITEM_PAGES[item]) return <StatusView status="loading" />;
  if (!overseer) return <StatusView status="empty" message="调度中心仅供调度员、领导和管理员使用" />;

  const go = (url: string) => void Taro.navigateTo({ url });
  const tiles = TILES.filter((t) => coordinator || !['dispatch', 'returned', 'extensions', 'closing'].includes(t.key));
  const rate = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${Math.round(x * 1000) / 10}%`);

  return (
    <View className="co-page co-hub">
      {roles.includes('coordinator') || roles.includes('leader') ? (
        <View>
          <View className="co-section">待处理</View>
          <View className="co-hub__grid">
            {tiles.map((tile) => {
              const n = counts?.[tile.key];
              return (
                <View key={tile.key} className={`co-hub__tile co-hub__tile--${tile.key}`} onClick={() => go(tile.url)}>
                  <View className={`co-hub__num${n ? ' co-hub__num--hot' : ''}`}>{n === undefined ? (counts ? '—' : '…') : n >= 50 && (tile.key === 'supervisions' || tile.key === 'followups') ? '50+' : n}</View>
                  <View className="co-hub__label">{tile.label}</View>
                  <View className="co-hub__desc">{tile.desc}</View>
                </View>
              );
            })}
          </View>
        </View>
      ) : null}

      <View className="co-section">本月与本年累计</View>
      <View className="co-card">
        {!stats ? <StatusView status="loading" /> : stats.error ? <View className="co-error">{stats.error}</View> : (
          <View>
            {[
              { key: 'month', label: `本月（${Number(stats.from!.slice(5, 7))}月1日至${Number(stats.to!.slice(5, 7))}月${Number(stats.to!.slice(8, 10))}日）`, s: stats.tickets, coverage: true },
              { key: 'year', label: `本年累计（${stats.to!.slice(0, 4)}年1月1日起）`, s: stats.year, coverage: false },
            ].map((p) => (
              <View key={p.key} className={`co-hub__period co-hub__period--${p.key}`}>
                <View className="co-hub__period-label">{p.label}</View>
                <View className="co-hub__stats">
                  <View className="co-hub__stat"><View className="co-hub__stat-num">{p.s?.total ?? '—'}</View><View className="co-hub__stat-label">诉求</View></View>
                  <View className="co-hub__stat"><View className="co-hub__stat-num">{p.s?.solved ?? '—'}</View><View className="co-hub__stat-label">已解决</View></View>
                  <View className="co-hub__stat"><View className="co-hub__stat-num">{p.s?.inProgress ?? '—'}</View><View className="co-hub__stat-label">正在协调</View></View>
                  <View className="co-hub__stat"><View className="co-hub__stat-num">{rate(p.s?.solveRate)}</View><View className="co-hub__stat-label">解决率</View></View>
                  <View className="co-hub__stat"><View className="co-hub__stat-num">{rate(p.s?.satisfaction.rate)}</View><View className="co-hub__stat-label">满意率</View></View>
                  {p.coverage ? (
                    <View className="co-hub__stat">
                      <View className="co-hub__stat-num">{stats.coverage?.district?.coveragePct === null || stats.coverage?.district?.coveragePct === undefined ? '—' : `${stats.coverage.district.coveragePct}%`}</View>
                      <View className="co-hub__stat-label">走访覆盖率</View>
                    </View>
                  ) : null}
                </View>
              </View>
            ))}
            {stats.paragraph ? <View className="co-hub__period-label">月报段落（可直接用于本月报告）</View> : null}
            {stats.paragraph ? <View className="co-hub__report">{stats.paragraph}</View> : null}
          </View>
        )}
      </View>

      <CellGroup title="诉求">
        {FIND.map((o) => <Cell key={o.url} title={o.title} description={o.description} clickable onClick={() => go(o.url)} />)}
      </CellGroup>
      <CellGroup title="重点项目">
        {PROJECT_DESK.map((o) => <Cell key={o.url} title={o.title} description={o.description} clickable onClick={() => go(o.url)} />)}
      </CellGroup>
      <CellGroup title="走访">
        {VISITS.map((o) => <Cell key={o.url} title={o.title} description={o.description} clickable onClick={() => go(o.url)} />)}
      </CellGroup>
      {editor ? (
        <View>
          <CellGroup title="组织与人员">
            {ORG.map((o) => <Cell key={o.url} title={o.title} description={o.description} clickable onClick={() => go(o.url)} />)}
          </CellGroup>
          <CellGroup title="诉求配置">
            {CONFIG.map((o) => <Cell key={o.url} title={o.title} description={o.description} clickable onClick={() => go(o.url)} />)}
          </CellGroup>
        </View>
      ) : null}
    </View>
  );
}
