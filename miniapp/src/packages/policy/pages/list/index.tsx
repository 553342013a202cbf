import { useCallback, useState } from 'react';
import Taro, { useDidShow, usePullDownRefresh, useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { StatusView } from '../../../../components/status-view';
import { auth, messageOf, policies } from '../../../../services';
import { newIdempotencyKey } from '../../../../services/idempotency';
import { outcomeBadge, policyLine, POLICY_STATUS_LABELS, type EnterprisePolicy, type Policy, type PolicyMatch } from '../../../../services/policies';
import '../../policy.scss';
import { PAGES } from '../../../../services/pages';

const detail = (id: string) => void Taro.navigateTo({ url: `${PAGES.policy.detail}?id=${id}` });

/** 惠企政策 of an enterprise: matched first, each with why (the shared eligibility explanation). */
function EnterpriseList({ items }: { items: EnterprisePolicy[] }) {
  const matched = items.filter((x) => x.outcome !== 'not_met').length;
  return (
    <View>
      <View className="pol-head">为贵企业匹配到 {matched} 项政策（共 {items.length} 项有效政策）</View>
      <View className="pol-grid">
        {items.map((x) => {
          const b = outcomeBadge(x.outcome);
          return (
            <View key={x.policy.id} className="pol-card" onClick={() => detail(x.policy.id)}>
              <View className="pol-card__top">
                <View className="pol-card__title">{x.policy.title}</View>
                <View className={`pol-badge pol-badge--${b.tone}`}>{b.text}</View>
              </View>
              <View className="pol-card__line">{policyLine(x.policy)}</View>
              <View className={`pol-card__why pol-card__why--${b.tone}`}>{x.explanation}</View>
            </View>
          );
        })}
      </View>
    </View>
  );
}

/** 送政策上门: the steward's matched, undelivered policies; one tap logs a phone/WeChat delivery (a contact). */
function DeliveryList({ items, onDone }: { items: PolicyMatch[]; onDone: () => void }) {
  const deliver = async (m: PolicyMatch, kind: 'phone' | 'wechat') => {
    try {
      await policies.deliver(m.policy.id, m.enterprise.id, kind, newIdempotencyKey());
      void Taro.showToast({ title: '已记录送达', icon: 'success' });
      onDone();
    } catch (e) {
      void Taro.showToast({ title: messageOf(e), icon: 'none' });
    }
  };
  return (
    <View>
      <View className="pol-head">待送达 {items.length} 项（送达后计入走访）</View>
      <View className="pol-grid">
        {items.map((m) => (
          <View key={`${m.policy.id}:${m.enterprise.id}`} className="pol-card">
            <View className="pol-card__title">{m.enterprise.name}</View>
            <View className="pol-card__line">{m.policy.title}</View>
            <View className="pol-card__why">{m.explanation}</View>
            <View className="pol-card__actions">
              <View className="pol-btn" onClick={() => void deliver(m, 'phone')}>电话已送达</View>
              <View className="pol-btn pol-btn--ghost" onClick={() => void deliver(m, 'wechat')}>微信已送达</View>
            </View>
          </View>
        ))}
      </View>
    </View>
  );
}

/** The coordinator's / department's policy list (drafts too), with 新建政策. */
function ManageList({ items }: { items: Policy[] }) {
  return (
    <View>
      <View className="pol-card__actions" style={{ marginBottom: '24px' }}>
        <View className="pol-btn" onClick={() => void Taro.navigateTo({ url: PAGES.policy.editor })}>新建政策</View>
      </View>
      <View className="pol-grid">
        {items.map((p) => (
          <View key={p.id} className="pol-card" onClick={() => detail(p.id)}>
            <View className="pol-card__top">
              <View className="pol-card__title">{p.title}</View>
              <View className={`pol-badge pol-badge--${p.status === 'published' ? 'ok' : 'muted'}`}>{POLICY_STATUS_LABELS[p.status]}</View>
            </View>
            <View className="pol-card__line">{policyLine(p)}</View>
            <View className="pol-card__line">{p.docNo ?? '无文号'} · {p.publishOn ? `发布 ${p.publishOn}` : '未发布'}{p.expiresOn ? ` · 有效期至 ${p.expiresOn}` : ''}</View>
          </View>
        ))}
      </View>
    </View>
  );
}

/** One screen, three uses by `?item=`: policies (enterprise), deliver (steward), manage (coordinator, department). */
export default function PolicyList() {
  const { params } = useRouter();
  const user = auth.cachedUser();
  const item = params.item ?? (user?.roles.includes('enterprise') ? 'policies' : user?.roles.includes('steward') ? 'deliver' : 'manage');
  const [state, setState] = useState<{ loading: boolean; error?: string; mine?: EnterprisePolicy[]; deliveries?: PolicyMatch[]; list?: Policy[]; ownId?: string }>({ loading: true });
  const load = useCallback(async () => {
    try {
      if (item === 'calc' && params.enterpriseId) {
        setState({ loading: false, mine: await policies.forEnterprise(params.enterpriseId) });
      } else if (item === 'policies') {
        const me = await auth.me();
        setState({ loading: false, mine: me.enterprise ? await policies.forEnterprise(me.enterprise.id) : [], ownId: me.enterprise?.id });
      } else if (item === 'deliver') setState({ loading: false, deliveries: (await policies.deliveries()).items });
      else setState({ loading: false, list: (await policies.list({ limit: 100 })).items });
    } catch (e) {
      setState({ loading: false, error: messageOf(e) });
    }
  }, [item, params.enterpriseId]);
  useDidShow(() => {
    void Taro.setNavigationBarTitle({ title: item === 'deliver' ? '送政策上门' : item === 'manage' ? '政策管理' : item === 'calc' ? '政策计算器' : '惠企政策' });
    void load();
  });
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()));
  return (
    <View className="pol-page">
      {state.loading ? <StatusView status="loading" />
        : state.error ? <StatusView status="error" message={state.error} onRetry={load} />
        : state.mine ? (
          <View>
            {state.ownId ? (
              <View className="pol-card__actions" style={{ marginTop: 0, marginBottom: '24px' }}>
                <View className="pol-btn pol-btn--ghost" onClick={() => void Taro.navigateTo({ url: `${PAGES.policy.profile}?id=${state.ownId}` })}>本企业档案（信息有误可申请更正）</View>
              </View>
            ) : null}
            {params.enterpriseId ? (
              <View className="pol-card__actions" style={{ marginTop: 0, marginBottom: '24px' }}>
                <View className="pol-btn pol-btn--ghost" onClick={() => void Taro.navigateTo({ url: `${PAGES.policy.profile}?id=${params.enterpriseId}` })}>企业档案（政策匹配信息）</View>
              </View>
            ) : null}
            {state.mine.length ? <EnterpriseList items={state.mine} /> : <StatusView status="empty" message="暂无有效的惠企政策" />}
          </View>
        )
        : state.deliveries ? (state.deliveries.length ? <DeliveryList items={state.deliveries} onDone={load} /> : <StatusView status="empty" message="没有待送达的政策" />)
        : state.list?.length ? <ManageList items={state.list} /> : <StatusView status="empty" message="暂无政策" />}
    </View>
  );
}
