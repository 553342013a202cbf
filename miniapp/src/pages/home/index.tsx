import { useEffect } from 'react';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { Cell, CellGroup, NoticeBar, Tag } from '../../components/nutui';
import { StatusView } from '../../components/status-view';
import { useSession } from '../../hooks/use-session';
import { INFO_COUNTS, useWorkCounts } from '../../hooks/use-work-counts';
import { CountBadge } from '../../components/count-badge';
import { OpenVisitBanner } from '../../components/open-visit-banner';
import { DepartmentFigures } from '../../components/department-figures';
import { rolesOf, SETUP_PAGE } from '../../services/role-home';
import { goingLive, storage } from '../../services';
import { CITY_PAGE } from '../../services/city';
import './index.scss';

/**
 * Home: who is signed in and, per role held, the work that waits. Counts and badges arrive with the ticket and
 * visit APIs; until then each entry opens its role's subpackage.
 */
export default function HomePage() {
  const { user, error, reload } = useSession();
  const work = useWorkCounts();
  const reloadWork = work.reload;
  // A city person (ADR 0008) holds coordinator or leader but no district: district work lists would refuse them.
  const isCity = user?.scope === 'city';
  const roleKey = isCity ? '' : (user?.roles.join(',') ?? '');

  // Badges follow the person's roles; reloaded whenever home shows again (after filing, accepting…).
  useDidShow(() => {
    if (roleKey) void work.reload(roleKey.split(','));
  });
  useEffect(() => {
    if (roleKey) void reloadWork(roleKey.split(','));
  }, [roleKey, reloadWork]);

  // First login of an admin or coordinator in a district not yet set up (no people or no enterprises yet): open the
  // setup checklist once. A running district with one item missing is not interrupted (home lists 开通清单).
  useEffect(() => {
    if (!user || isCity || !user.district || !user.roles.some((r) => r === 'admin' || r === 'coordinator')) return;
    const key = `setup.shown.${user.id}`;
    if (storage.get<boolean>(key)) return;
    storage.set(key, true);
    void goingLive.checklist().then((c) => {
      const empty = c.items.some((i) => (i.key === 'people' || i.key === 'enterprises') && i.count === 0);
      if (!c.done && empty) void Taro.navigateTo({ url: SETUP_PAGE });
    }).catch(() => undefined);
    // Once per person signing in: a refreshed session object (same person) must not reopen the checklist.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [user?.id]);

  usePullDownRefresh(() => {
    void Promise.all([reload(), roleKey ? work.reload(roleKey.split(',')) : undefined]).finally(() => Taro.stopPullDownRefresh());
  });

  if (!user) {
    return error ? <StatusView status="error" message={error} onRetry={reload} /> : <StatusView status="loading" />;
  }

  const roles = isCity ? [] : rolesOf(user.roles);
  const unit = user.enterprise?.name ?? user.department?.name ?? user.district?.name ?? user.city?.name ?? '平台';

  return (
    <View className="home">
      {error ? <NoticeBar content={error} /> : null}
      <View className="home__card">
        <View className="home__name">{user.name}</View>
        <View className="home__unit">{unit}</View>
        <View className="home__roles">
          {(isCity ? rolesOf(user.roles) : roles).map((r) => (
            <Tag key={r.code} className="home__role" background="rgba(255, 255, 255, 0.2)" color="#ffffff">
              {r.label}
            </Tag>
          ))}
        </View>
      </View>
      {!isCity && user.roles.includes('steward') ? <OpenVisitBanner stewardId={user.id} /> : null}
      {!isCity && user.roles.includes('department') && user.department ? <DepartmentFigures departmentId={user.department.id} /> : null}
      {isCity ? (
        <CellGroup title="市级工作">
          <Cell title="全市对比" description="本市各区县诉求办理指标对比与综合排名" clickable className="work-cell" onClick={() => void Taro.navigateTo({ url: CITY_PAGE })} />
        </CellGroup>
      ) : null}
      {!isCity && roles.length === 0 ? <StatusView status="empty" message="您的账号尚未分配角色，请联系管理员" /> : null}
      {roles.map((r) => (
        <CellGroup key={r.code} title={`${r.label}的工作`}>
          {r.work.map((w) => (
            <Cell
              key={w.key}
              title={w.title}
              description={w.description}
              clickable
              className="work-cell"
              extra={work.counts[`${r.code}:${w.key}`] ? <CountBadge value={work.counts[`${r.code}:${w.key}`]} muted={INFO_COUNTS.has(`${r.code}:${w.key}`)} /> : undefined}
              onClick={() => void Taro.navigateTo({ url: `${w.url ?? r.entry}?role=${r.code}&item=${w.key}` })}
            />
          ))}
        </CellGroup>
      ))}
    </View>
  );
}
