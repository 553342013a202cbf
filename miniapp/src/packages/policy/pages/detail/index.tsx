import { useCallback, useState } from 'react';
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { Input, View } from '@tarojs/components';
import { formatWan, wanToYuan } from '@guanjia/shared/report/money';
import { shanghaiDate } from '@guanjia/shared/calendar/shanghai-time';
import { StatusView } from '../../../../components/status-view';
import { auth, messageOf, policies } from '../../../../services';
import { newIdempotencyKey } from '../../../../services/idempotency';
import { formatTime, stateLabel } from '../../../../services/tickets';
import {
  CONFIRMATION_LABELS, outcomeBadge, policyLine, POLICY_STATUS_LABELS, type EnterprisePolicy, type Policy, type PolicyFigures, type PolicyMatch, type PolicyQuestion,
} from '../../../../services/policies';
import '../../policy.scss';
import { PAGES } from '../../../../services/pages';

/** Matched / notified / read / delivered / 兑现 per area (the issuing department's and coordinator's view). */
function Figures({ f }: { f: PolicyFigures }) {
  const cols: [keyof PolicyFigures['total'], string][] = [['matched', '符合'], ['unknown', '待核实'], ['read', '已阅'], ['delivered', '已送达'], ['confirmed', '确认享受'], ['redeemed', '已兑现']];
  const row = (name: string, r: PolicyFigures['total'], head = false) => (
    <View className={`pol-table__row${head ? ' pol-table__row--head' : ''}`} key={name}>
      <View className="pol-table__cell pol-table__cell--name">{name}</View>
      {cols.map(([k]) => <View key={k} className="pol-table__cell">{String(r[k])}</View>)}
    </View>
  );
  return (
    <View className="pol-card">
      <View className="pol-card__title">送达与兑现</View>
      <View className="pol-card__line">已兑现 {f.total.redeemed} 家，金额 {f.total.redeemedText}</View>
      <View className="pol-table">
        <View className="pol-table__row pol-table__row--head">
          <View className="pol-table__cell pol-table__cell--name">属地</View>
          {cols.map(([k, l]) => <View key={k} className="pol-table__cell">{l}</View>)}
        </View>
        {f.byArea.map((a) => row(a.area.name, a))}
        {row('合计', f.total)}
      </View>
    </View>
  );
}

/** A policy: the enterprise sees why it matches and confirms 免申即享; managers see figures and the lists. */
export default function PolicyDetail() {
  const { params } = useRouter();
  const id = params.id ?? '';
  const [s, setS] = useState<{ loading: boolean; error?: string; policy?: Policy; mine?: EnterprisePolicy; figures?: PolicyFigures; met?: PolicyMatch[]; unknown?: PolicyMatch[]; questions?: PolicyQuestion[] }>({ loading: true });
  const load = useCallback(async () => {
    try {
      const user = await auth.me();
      const policy = await policies.get(id);
      if (user.enterprise && user.roles.includes('enterprise')) {
        if (policy.status === 'published') await policies.read(id).catch(() => undefined);
        const mine = (await policies.forEnterprise(user.enterprise.id)).find((x) => x.policy.id === id);
        setS({ loading: false, policy, mine });
      } else if (user.roles.some((r) => ['coordinator', 'admin', 'leader', 'department'].includes(r)) && policy.status === 'published') {
        const [figures, met, unknown, questions] = await Promise.all([policies.figures(id), policies.matches(id, 'met'), policies.matches(id, 'unknown'), policies.questions(id)]);
        setS({ loading: false, policy, figures, met: met.items, unknown: unknown.items, questions: questions.items });
      } else setS({ loading: false, policy });
    } catch (e) {
      setS({ loading: false, error: messageOf(e) });
    }
  }, [id]);
  useDidShow(() => void load());

  const decide = async (decision: 'confirmed' | 'declined', m: PolicyMatch) => {
    try {
      await policies.confirm(id, decision, m.version, newIdempotencyKey());
      void Taro.showToast({ title: decision === 'confirmed' ? '已确认享受' : '已放弃', icon: 'success' });
      void load();
    } catch (e) {
      void Taro.showToast({ title: messageOf(e), icon: 'none' });
    }
  };
  const [amounts, setAmounts] = useState<Record<string, string>>({});
  /** 兑现: the amount is typed in 万元 and sent as exact integer 元 (ADR 0004). */
  const redeem = async (x: PolicyMatch) => {
    let yuan: bigint;
    try {
      yuan = wanToYuan((amounts[x.enterprise.id] ?? '').trim());
    } catch {
      void Taro.showToast({ title: '请填写兑现金额（万元，最多4位小数）', icon: 'none' });
      return;
    }
    try {
      await policies.redeem(id, { enterpriseId: x.enterprise.id, redeemedOn: shanghaiDate(new Date()), amount: yuan.toString(), version: x.version }, newIdempotencyKey());
      void Taro.showToast({ title: '已登记兑现', icon: 'success' });
      void load();
    } catch (e) {
      void Taro.showToast({ title: messageOf(e), icon: 'none' });
    }
  };
  const publish = async (p: Policy) => {
    try {
      await policies.publish(p.id, p.version, newIdempotencyKey());
      void Taro.showToast({ title: '已发布', icon: 'success' });
      void load();
    } catch (e) {
      void Taro.showToast({ title: messageOf(e), icon: 'none' });
    }
  };

  if (s.loading) return <View className="pol-page"><StatusView status="loading" /></View>;
  if (s.error || !s.policy) return <View className="pol-page"><StatusView status="error" message={s.error ?? '政策不存在'} onRetry={load} /></View>;
  const p = s.policy;
  const m = s.mine?.match ?? null;
  const b = s.mine ? outcomeBadge(s.mine.outcome) : null;
  return (
    <View className="pol-page">
      <View className="pol-card">
        <View className="pol-card__top">
          <View className="pol-card__title">{p.title}</View>
          {b ? <View className={`pol-badge pol-badge--${b.tone}`}>{b.text}</View> : <View className="pol-badge pol-badge--muted">{POLICY_STATUS_LABELS[p.status]}</View>}
        </View>
        <View className="pol-card__line">{policyLine(p)}</View>
        <View className="pol-card__line">{[p.docNo, p.publishOn && `发布 ${p.publishOn}`, p.expiresOn && `有效期至 ${p.expiresOn}`, p.applyDeadline && `申报截止 ${p.applyDeadline}`].filter(Boolean).join(' · ') || '未发布'}</View>
        {s.mine ? <View className={`pol-card__why pol-card__why--${b!.tone}`}>{s.mine.explanation}</View> : null}
        <View className="pol-card__text">{p.summary}</View>
        {p.fullText ? <View className="pol-card__text">{p.fullText}</View> : null}
        {p.contact ? <View className="pol-card__line">咨询：{p.contact}</View> : null}
        {m?.confirmation ? <View className="pol-card__line">意愿确认：{CONFIRMATION_LABELS[m.confirmation]}{m.redeemedOn ? ` · 已兑现（${m.redeemedOn}）` : ''}</View> : null}
        {m && m.confirmation && !m.redeemedOn ? (
          <View className="pol-card__actions">
            {m.confirmation !== 'confirmed' ? <View className="pol-btn" onClick={() => void decide('confirmed', m)}>确认享受</View> : null}
            {m.confirmation !== 'declined' ? <View className="pol-btn pol-btn--plain" onClick={() => void decide('declined', m)}>放弃享受</View> : null}
          </View>
        ) : null}
        {s.mine ? (
          <View className="pol-card__actions">
            <View className="pol-btn pol-btn--ghost" onClick={() => void Taro.navigateTo({ url: `${PAGES.enterprise.new}?category=${encodeURIComponent('政策兑现')}&policyId=${encodeURIComponent(p.id)}&title=${encodeURIComponent(`咨询：${p.title}`.slice(0, 60))}` })}>咨询政策（提交诉求）</View>
          </View>
        ) : null}
        {p.status === 'draft' ? (
          <View className="pol-card__actions"><View className="pol-btn" onClick={() => void publish(p)}>发布并推送给匹配企业</View></View>
        ) : null}
      </View>
      {s.figures ? <Figures f={s.figures} /> : null}
      {s.questions ? (
        <View className="pol-card">
          <View className="pol-card__title">企业咨询（{s.questions.length}{s.questions.length >= 30 ? '+' : ''}）</View>
          {s.questions.length ? s.questions.map((q) => (
            <View key={q.id} className="pol-card__line pol-link" onClick={() => void Taro.navigateTo({ url: `${PAGES.ticket.detail}?id=${encodeURIComponent(q.id)}` })}>
              {q.no} · {q.enterprise.name} · {q.title} · {stateLabel(q.state)} · {formatTime(q.createdAt)}
            </View>
          )) : <View className="pol-card__line">暂无企业咨询</View>}
        </View>
      ) : null}
      {s.met ? (
        <View className="pol-grid">
          <View className="pol-card">
            <View className="pol-card__title">符合条件的企业（{s.figures?.total.matched ?? s.met.length}）</View>
            {s.met.map((x) => (
              <View key={x.enterprise.id}>
                <View className="pol-card__line">{x.enterprise.name} · {x.area.name}{x.deliveredAt ? ' · 已送达' : ''}{x.confirmation ? ` · ${CONFIRMATION_LABELS[x.confirmation]}` : ''}{x.redeemedAmount ? ` · 已兑现 ${formatWan(BigInt(x.redeemedAmount))}` : ''}</View>
                {x.confirmation === 'confirmed' && !x.redeemedOn ? (
                  <View className="pol-redeem">
                    <Input className="pol-input pol-redeem__input" type="digit" placeholder="兑现金额（万元）" value={amounts[x.enterprise.id] ?? ''} onInput={(ev) => setAmounts({ ...amounts, [x.enterprise.id]: ev.detail.value })} />
                    <View className="pol-btn pol-redeem__btn" onClick={() => void redeem(x)}>登记兑现</View>
                  </View>
                ) : null}
              </View>
            ))}
          </View>
          <View className="pol-card">
            <View className="pol-card__title">待核实信息的企业（{s.figures?.total.unknown ?? s.unknown?.length ?? 0}）</View>
            {(s.unknown ?? []).map((x) => <View key={x.enterprise.id} className="pol-card__line">{x.enterprise.name} · {x.explanation.replace(/^.*待核实：/, '待核实：').split('；')[0]}</View>)}
          </View>
        </View>
      ) : null}
    </View>
  );
}
