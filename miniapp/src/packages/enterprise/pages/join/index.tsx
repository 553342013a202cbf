import { useState } from 'react';
import Taro from '@tarojs/taro';
import { View } from '@tarojs/components';
import { FormCard, FormField } from '../../../../components/form-field';
import { Button, Input } from '../../../../components/nutui';
import { auth, formErrors, goingLive, HOME_PAGE, isApiError, LOGIN_PAGE, messageOf, storage } from '../../../../services';
import { creditCodeFromScan } from '@guanjia/shared/enterprise/credit-code';
import { JOIN_BIND_KEY, validateJoinForm, type JoinForm, type JoinStatus } from '../../../../services/going-live';
import './index.scss';

/** Default district of this build (a district's own mini-program sets TARO_APP_DISTRICT). */
const DEFAULT_DISTRICT = process.env.TARO_APP_DISTRICT ?? '';
const IS_WEAPP = process.env.TARO_ENV === 'weapp';

/**
 * 企业自助加入: a contact who logged in with WeChat but has no invitation code names the district, the credit code and
 * the company name. Matching ones enter at once; the rest wait for the steward's or the coordinator's approval.
 */
export default function JoinPage() {
  const bindToken = storage.get<string>(JOIN_BIND_KEY);
  const [f, setF] = useState<JoinForm>({ district: DEFAULT_DISTRICT, creditCode: '', companyName: '', contactName: '', phone: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [pending, setPending] = useState<string>();
  const [status, setStatus] = useState<JoinStatus>();

  const restart = () => {
    storage.remove(JOIN_BIND_KEY);
    void Taro.reLaunch({ url: LOGIN_PAGE });
  };
  const submit = async () => {
    const problems = validateJoinForm(f);
    setErrors(problems);
    if (Object.keys(problems).length || busy || !bindToken) return;
    setBusy(true);
    try {
      const r = await goingLive.join(bindToken, f);
      if (r.status === 'linked') {
        storage.remove(JOIN_BIND_KEY);
        await auth.signInWithTokens(r.tokens);
        void Taro.reLaunch({ url: HOME_PAGE });
      } else setPending(r.message);
    } catch (e) {
      if (isApiError(e) && e.code === 'WECHAT_CODE_INVALID') {
        void Taro.showToast({ title: '登录已超时，请重新微信登录', icon: 'none' });
        restart();
        return;
      }
      setErrors(formErrors(e, ['district', 'creditCode', 'companyName', 'contactName', 'phone']));
    } finally {
      setBusy(false);
    }
  };
  const check = async () => {
    if (!bindToken) return;
    try {
      setStatus(await goingLive.joinStatus(bindToken));
    } catch (e) {
      if (isApiError(e) && e.code === 'WECHAT_CODE_INVALID') restart();
      else void Taro.showToast({ title: messageOf(e), icon: 'none' });
    }
  };

  if (!bindToken) {
    return (
      <View className="ej">
        <View className="ej__done">
          <View className="ej__done-title">请先用微信登录</View>
          <View className="ej__done-text">自助加入需要先在登录页点击“微信一键登录”。</View>
          <Button className="ej__submit" type="primary" block onClick={restart}>去登录</Button>
        </View>
      </View>
    );
  }
  if (pending) {
    return (
      <View className="ej">
        <View className="ej__done" data-state="pending">
          <View className="ej__done-title">已提交，等待审核</View>
          <View className="ej__done-text">{pending}</View>
          {status ? (
            <View className="ej__done-text">
              {status.status === 'pending' ? '仍在审核中' : status.status === 'rejected' ? `申请未通过：${status.reason ?? '请联系包保管家'}` : '审核已通过，请重新登录'}
            </View>
          ) : null}
          <Button className="ej__submit" block onClick={() => void check()}>查看审核进度</Button>
          <Button className="ej__submit" type="primary" block onClick={restart}>返回登录</Button>
        </View>
      </View>
    );
  }
  const set = (k: keyof JoinForm) => (v: string) => setF({ ...f, [k]: v });
  /** The licence's QR code, where it carries the credit code (many carry only a registry link: then type it). */
  const scan = async () => {
    try {
      const r = await Taro.scanCode({ onlyFromCamera: false, scanType: ['qrCode'] });
      const code = creditCodeFromScan(r.result ?? '');
      if (code) setF({ ...f, creditCode: code });
      else void Taro.showToast({ title: '未能从二维码识别信用代码，请手动输入', icon: 'none' });
    } catch {
      // cancelled
    }
  };
  return (
    <View className="ej">
      <View className="ej__hint">请按营业执照填写。信用代码和企业名称与本区县登记的一致时立即开通；否则提交给包保管家或营商环境部门审核。</View>
      <FormCard>
        <FormField label="区县代码" required error={errors.district}>
          <Input name="district" type="number" placeholder="6 位，如 211103" value={f.district} maxLength={6} onChange={set('district')} />
        </FormField>
        <FormField label="统一社会信用代码" required error={errors.creditCode}>
          <Input name="creditCode" placeholder="18 位，见营业执照" value={f.creditCode} maxLength={18} onChange={set('creditCode')} clearable />
        </FormField>
        <FormField label="企业名称" required error={errors.companyName}>
          <Input name="companyName" placeholder="与营业执照一致" value={f.companyName} maxLength={128} onChange={set('companyName')} clearable />
        </FormField>
        <FormField label="您的姓名" required error={errors.contactName}>
          <Input name="contactName" placeholder="联系人姓名" value={f.contactName} maxLength={64} onChange={set('contactName')} />
        </FormField>
        <FormField label="手机号" error={errors.phone}>
          <Input name="phone" type="number" placeholder="选填，便于管家联系" value={f.phone} maxLength={11} onChange={set('phone')} />
        </FormField>
      </FormCard>
      {IS_WEAPP ? <Button className="ej__submit" block onClick={() => void scan()}>扫描营业执照二维码</Button> : null}
      {errors.form ? <View className="ej__error">{errors.form}</View> : null}
      <Button className="ej__submit" type="primary" block loading={busy} onClick={() => void submit()}>提交</Button>
    </View>
  );
}
