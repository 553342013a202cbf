import { useCallback, useEffect, useRef, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Image, View } from '@tarojs/components';
import { FormCard, FormField } from '../../../../components/form-field';
import { Button, TextArea } from '../../../../components/nutui';
import { StatusView } from '../../../../components/status-view';
import { useDraft } from '../../../../hooks/use-draft';
import { formErrors, isApiError, messageOf } from '../../../../services';
import { formatDateTime, formatDistance } from '../../../../services/display';
import {
  checkInVerdict, fencePreview, openVisitIdOf, runCheckIn, type CheckInProgress, type Enterprise, type GeoFix, type Visit,
} from '../../../../services/visits';
import { OFFSITE_REASONS } from '@guanjia/shared/visit/cadence';
import { ChoiceChips } from '../../../../components/choice-chips';
import { Input } from '../../../../components/nutui';
import { DATUM, pageUrl, param, STEWARD_PAGES, visits } from '../../lib/api';
import { ProblemsEditor } from '../../lib/problems-editor';
import { FenceMap, NavigateButton } from '../../../../components/fence-map';
import { fixToWgs84 } from '../../../../services/fence-map';
import './index.scss';

type Loc = { status: 'locating' } | { status: 'ok'; fix: GeoFix; at: number } | { status: 'error'; message: string };

const IS_WEAPP = process.env.TARO_ENV === 'weapp';

/** A fix older than this is taken again before checking in (the steward may have walked in from the car park). */
const FIX_MAX_AGE_MS = 60_000;

function locationError(e: unknown): string {
  const msg = String((e as { errMsg?: string })?.errMsg ?? '');
  if (/auth|denied|permission/i.test(msg)) return '未获得定位权限，请在设置中允许使用位置信息后重试';
  if (/timeout/i.test(msg)) return '定位超时，请到开阔处后重试';
  return '无法获取当前位置，请检查定位服务是否开启后重试';
}

async function currentFix(): Promise<GeoFix> {
  const res = await Taro.getLocation({ type: DATUM, isHighAccuracy: true, highAccuracyExpireTime: 10_000 });
  return { lat: res.latitude, lng: res.longitude, datum: DATUM, accuracyM: Number(res.accuracy) || 0 };
}

/** Field → message of a failed call (photo and location refusals under their own fields); the rest under `form`. */
function errorsOf(e: unknown, fields: string[]): Record<string, string> {
  return formErrors(e, [...fields, 'photo', 'location'], { codes: { 'PHOTO_*': 'photo', 'LOCATION_*': 'location' } });
}

/**
 * 现场走访: check in at the enterprise with the phone's position and a camera photo (plus notes), then check out.
 * Before checking in the distance to the enterprise is previewed with the shared geo functions and an 外勤
 * warning shown outside the fence; the server measures again and decides. Every form is a local draft and every
 * step carries its Idempotency-Key, so a lost signal neither loses the notes nor checks in twice.
 */
export default function CheckInPage() {
  const { params } = useRouter();
  const enterpriseId = param(params, 'enterpriseId');
  const visitIdParam = param(params, 'visitId');
  // from a key project's page: the visit names the project
  const projectId = param(params, 'projectId') || undefined;
  const projectName = param(params, 'projectName');
  const [enterprise, setEnterprise] = useState<Enterprise>();
  const [radius, setRadius] = useState(300);
  const [visit, setVisit] = useState<Visit>();
  const [loadError, setLoadError] = useState<string>();
  const [loc, setLoc] = useState<Loc>({ status: 'locating' });
  const [photo, setPhoto] = useState<string>();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const justCheckedIn = useRef(false);
  // 外勤: a reason is chosen or typed; asked when the preview is outside the fence or the server says so.
  const [reason, setReason] = useState({ chosen: '', other: '' });
  const [askReason, setAskReason] = useState(false);

  const checkin = useDraft(`visit-checkin:${enterpriseId}${projectId ? `:${projectId}` : ''}`, { notes: '', progress: {} as CheckInProgress });
  const checkout = useDraft(`visit-checkout:${visit?.id ?? visitIdParam}`, { notes: '', problems: [''] });

  const locate = useCallback(async (): Promise<GeoFix | undefined> => {
    setLoc({ status: 'locating' });
    try {
      const fix = await currentFix();
      setLoc({ status: 'ok', fix, at: Date.now() });
      return fix;
    } catch (e) {
      setLoc({ status: 'error', message: locationError(e) });
      return undefined;
    }
  }, []);

  const load = useCallback(async () => {
    if (!enterpriseId) return;
    setLoadError(undefined);
    try {
      const [ent, settings, v] = await Promise.all([
        visits.enterprise(enterpriseId),
        visits.settings().catch(() => undefined),
        visitIdParam ? visits.get(visitIdParam) : Promise.resolve(undefined),
      ]);
      setEnterprise(ent);
      if (settings) setRadius(settings.fenceRadiusM);
      if (v?.status === 'planned' && checkin.values.progress.visitId !== v.id) checkin.setField('progress', { visitId: v.id });
      if (v && v.status !== 'planned') setVisit(v);
    } catch (e) {
      setLoadError(messageOf(e));
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [enterpriseId, visitIdParam]);

  useEffect(() => {
    void load();
    void locate();
  }, [load, locate]);

  // After checking in the check-out form starts from the notes written at check-in.
  useEffect(() => {
    if (visit?.status === 'checked_in' && !checkout.restored && !checkout.values.notes && visit.notes) checkout.setField('notes', visit.notes);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [visit?.id]);

  if (!enterpriseId) return <StatusView status="error" message="缺少企业信息，请从企业列表进入" />;
  if (!enterprise) return loadError ? <StatusView status="error" message={loadError} onRetry={load} /> : <StatusView status="loading" />;
  if (visit?.status === 'completed' || visit?.status === 'cancelled') {
    return (
      <View className="st-page">
        <StatusView status="empty" message={visit.status === 'completed' ? '本次走访已签退' : '本次走访已取消'} />
        <Button block type="primary" onClick={() => void Taro.redirectTo({ url: pageUrl(STEWARD_PAGES.visit, { id: visit.id }) })}>查看走访记录</Button>
      </View>
    );
  }

  const takePhoto = async () => {
    try {
      const res = await Taro.chooseMedia({ count: 1, mediaType: ['image'], sourceType: ['camera'], sizeType: ['compressed'], camera: 'back' });
      const file = res.tempFiles[0];
      if (!file) return;
      setPhoto(file.tempFilePath);
      setErrors((e) => ({ ...e, photo: '' }));
      // A new photo replaces one uploaded by an earlier attempt.
      if (checkin.values.progress.photoId) checkin.setField('progress', { visitId: checkin.values.progress.visitId });
    } catch (e) {
      const msg = String((e as { errMsg?: string })?.errMsg ?? '');
      if (!/cancel/i.test(msg)) setErrors((x) => ({ ...x, photo: '无法打开相机，请检查相机权限后重试' }));
    }
  };

  const submitCheckIn = async () => {
    if (busy || checkin.submitting) return;
    const missing: Record<string, string> = {};
    const hasPhoto = !!photo || !!checkin.values.progress.photoId;
    if (!hasPhoto) missing.photo = '请拍摄现场照片';
    if (loc.status === 'error') missing.location = loc.message;
    const offsiteReason = reason.chosen === '其他' ? reason.other.trim() : reason.chosen;
    const outsideNow = loc.status === 'ok' && fencePreview(loc.fix, enterprise.location, radius).inside === false;
    if ((outsideNow || askReason) && !offsiteReason) missing.offsiteReason = '请选择或填写外勤原因';
    setErrors(missing);
    if (Object.keys(missing).length) return;
    setBusy(true);
    try {
      const fix = loc.status === 'ok' && Date.now() - loc.at < FIX_MAX_AGE_MS ? loc.fix : await locate();
      if (!fix) {
        setErrors({ location: '无法获取当前位置，请重试定位' });
        return;
      }
      const done = await checkin.submit((values, key) =>
        runCheckIn(visits, {
          enterpriseId, projectId, notes: values.notes, photoPath: photo ?? '', fix, key, progress: values.progress, offsiteReason: offsiteReason || undefined,
          onProgress: (p) => checkin.setField('progress', p),
        }),
      );
      justCheckedIn.current = true;
      setVisit(done);
      setErrors({});
      void Taro.pageScrollTo({ scrollTop: 0, duration: 0 }).catch(() => undefined);
    } catch (e) {
      const openId = openVisitIdOf(e);
      if (openId) {
        // One open on-site visit at a time: offer to check the open one out.
        const go = await Taro.showModal({ title: '还有走访未签退', content: messageOf(e), confirmText: '去签退', cancelText: '取消', confirmColor: '#fa2c19' });
        if (go.confirm) {
          const open = await visits.get(openId).catch(() => undefined);
          if (open) void Taro.redirectTo({ url: pageUrl(STEWARD_PAGES.checkin, { enterpriseId: open.enterprise.id, visitId: open.id }) });
        }
        return;
      }
      if (isApiError(e) && e.code === 'VISIT_OFFSITE_REASON_REQUIRED') {
        setAskReason(true);
        setErrors({ offsiteReason: e.message });
        return;
      }
      const errs = errorsOf(e, ['notes']);
      if (errs.photo) setPhoto(undefined);
      setErrors(errs);
    } finally {
      setBusy(false);
    }
  };

  const submitCheckOut = async () => {
    if (!visit || busy || checkout.submitting) return;
    const problems = checkout.values.problems.map((p) => p.trim()).filter(Boolean);
    setBusy(true);
    setErrors({});
    try {
      // The position at check-out is optional: without one the steward can still leave.
      const fix = await currentFix().catch(() => undefined);
      await checkout.submit((values, key) =>
        visits.checkOut(visit.id, {
          ...(fix ? { location: { lat: fix.lat, lng: fix.lng, datum: fix.datum }, accuracyM: Math.round(fix.accuracyM * 10) / 10 } : {}),
          ...(values.notes.trim() ? { notes: values.notes.trim() } : {}),
          ...(problems.length ? { problems: problems.map((description) => ({ description })) } : {}),
        }, key),
      );
      void Taro.showToast({ title: '已签退', icon: 'success' });
      void Taro.redirectTo({ url: pageUrl(STEWARD_PAGES.visit, { id: visit.id }) });
    } catch (e) {
      setErrors(errorsOf(e, ['notes', 'problems']));
    } finally {
      setBusy(false);
    }
  };

  // --- checked in: the result and the check-out form ---
  if (visit && visit.status === 'checked_in') {
    const verdict = checkInVerdict(visit);
    return (
      <View className="st-page st-checkin">
        <View className="st-card st-checkin__result">
          <View className={`st-checkin__result-title${verdict.outside ? ' st-checkin__result-title--warn' : ''}`}>
            {justCheckedIn.current ? (verdict.outside ? '签到成功（外勤）' : '签到成功') : '走访进行中'}
          </View>
          <View className="st-card__sub">{`${enterprise.name} · ${formatDateTime(visit.checkIn?.at)} 签到`}</View>
          <View className="st-checkin__tags">
            {verdict.outside ? <View className="st-tag st-tag--warning">外勤</View> : null}
            {!verdict.outside && !verdict.unknown ? <View className="st-tag st-tag--success">在企业范围内</View> : null}
            {verdict.unknown ? <View className="st-tag">企业无坐标，位置待确认</View> : null}
            {visit.checkIn?.distanceM !== null && visit.checkIn?.distanceM !== undefined ? (
              <View className="st-tag">{`距企业 ${formatDistance(visit.checkIn.distanceM)}`}</View>
            ) : null}
            {verdict.flags.map((f) => <View key={f} className="st-tag st-tag--danger">{f}</View>)}
          </View>
          {verdict.outside ? (
            <View className="st-checkin__warn">{`签到位置超出企业 ${visit.checkIn?.fenceRadiusM ?? radius} 米范围，已记为外勤，调度员可见。`}</View>
          ) : null}
        </View>

        <View className="st-section">签退时补充走访情况</View>
        <FormCard>
          <FormField label="走访记录" error={errors.notes}>
            <TextArea placeholder="了解到的生产经营情况" value={checkout.values.notes} maxLength={2000} autoSize onChange={(t) => checkout.setField('notes', t)} />
          </FormField>
          <FormField label="发现问题" error={errors.problems}>
            <ProblemsEditor value={checkout.values.problems} onChange={(v) => checkout.setField('problems', v)} errors={errors} />
          </FormField>
        </FormCard>
        {checkout.restored ? <View className="st-hint">已恢复上次未提交的内容</View> : null}
        {errors.form ? <View className="st-error">{errors.form}</View> : null}
        <Button className="st-submit" block type="primary" loading={busy} onClick={submitCheckOut}>签退</Button>
        <View className="st-hint">发现的问题可在签退后逐条转为诉求。</View>
      </View>
    );
  }

  // --- before checking in ---
  const preview = loc.status === 'ok' ? fencePreview(loc.fix, enterprise.location, radius) : null;
  return (
    <View className="st-page st-checkin">
      <View className="st-card">
        <View className="st-card__title">{enterprise.name}</View>
        <View className="st-card__sub">{enterprise.address ?? enterprise.area.name}</View>
        {projectId ? <View className="st-card__sub st-checkin__project">{`到重点项目现场：${projectName || '（项目）'}`}</View> : null}
      </View>

      <View className="st-card">
        <View className="st-checkin__loc">
          <View>
            <View className="st-card__sub">与企业的距离</View>
            <View className="st-checkin__distance">
              {loc.status === 'locating' ? '定位中…' : loc.status === 'error' ? '未能定位' : preview?.distanceM === null ? '企业无坐标' : formatDistance(preview?.distanceM)}
            </View>
            {loc.status === 'ok' ? <View className="st-card__sub">{`定位精度约 ${Math.round(loc.fix.accuracyM)} 米`}</View> : null}
          </View>
          <Button size="small" fill="outline" type="primary" disabled={loc.status === 'locating'} onClick={() => void locate()}>
            重新定位
          </Button>
        </View>
        {loc.status === 'error' ? <View className="st-error">{loc.message}</View> : null}
        {loc.status === 'error' && IS_WEAPP && /权限/.test(loc.message) ? (
          <Button size="small" fill="outline" onClick={() => void Taro.openSetting().then(() => locate(), () => undefined)}>去设置允许定位</Button>
        ) : null}
        {errors.location && loc.status !== 'error' ? <View className="st-error">{errors.location}</View> : null}
        {preview?.inside === false ? (
          <View className="st-checkin__warn">{`您不在企业签到范围内（${radius} 米），仍可签到，但将记为外勤。`}</View>
        ) : null}
        {preview?.inside === true ? <View className="st-checkin__ok">{`已在企业签到范围内（${radius} 米）`}</View> : null}
        {preview && preview.inside === null ? <View className="st-hint">企业尚未标注位置，本次签到位置将提交调度员确认。</View> : null}
        {enterprise.location ? (
          // The fence, the enterprise and 我的位置 (issue 13); the position stays on the phone until 签到.
          <View className="st-checkin__map">
            <FenceMap center={enterprise.location} radiusM={radius} point={loc.status === 'ok' ? fixToWgs84(loc.fix) : null} pointLabel="我的位置" />
            <NavigateButton center={enterprise.location} name={enterprise.name} address={enterprise.address} />
          </View>
        ) : null}
      </View>

      <FormCard>
        <FormField label="现场照片" required error={errors.photo}>
          <View className="st-checkin__photo" onClick={takePhoto}>
            {photo ? <Image className="st-checkin__img" src={photo} mode="aspectFill" /> : checkin.values.progress.photoId ? '照片已上传，点击重拍' : '点击拍照'}
          </View>
        </FormField>
        {preview?.inside === false || askReason ? (
          <FormField label="外勤原因" required error={errors.offsiteReason}>
            <ChoiceChips
              value={reason.chosen}
              onChange={(v) => { setReason((r) => ({ ...r, chosen: v as string })); setErrors((x) => ({ ...x, offsiteReason: '' })); }}
              options={[...OFFSITE_REASONS, '其他'].map((r) => ({ value: r, label: r }))}
            />
            {reason.chosen === '其他' ? (
              <Input placeholder="请填写外勤原因" value={reason.other} maxLength={100} onChange={(v) => setReason((r) => ({ ...r, other: v }))} />
            ) : null}
          </FormField>
        ) : null}
        <FormField label="走访记录" error={errors.notes}>
          <TextArea placeholder="走访记录（可选），签退时可补充" value={checkin.values.notes} maxLength={2000} autoSize onChange={(t) => checkin.setField('notes', t)} />
        </FormField>
      </FormCard>
      {checkin.restored ? <View className="st-hint">已恢复上次未提交的内容</View> : null}
      {errors.form ? <View className="st-error">{errors.form}</View> : null}
      <Button className="st-submit" block type="primary" loading={busy} disabled={loc.status === 'locating'} onClick={submitCheckIn}>
        签到
      </Button>
      <View className="st-hint">签到时间以服务器时间为准；照片只能现场拍摄。</View>
    </View>
  );
}
