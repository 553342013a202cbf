import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Button as TaroButton, View, type ButtonProps, type BaseEventOrig } from '@tarojs/components';
import { FormCard, FormField } from '../../components/form-field';
import { Button, Input, TabPane, Tabs } from '../../components/nutui';
import { auth, formErrors, HOME_PAGE, isApiError, messageOf, storage } from '../../services';
import { JOIN_BIND_KEY } from '../../services/going-live';
import { JOIN_PAGE } from '../../services/role-home';
import './index.scss';

const IS_WEAPP = process.env.TARO_ENV === 'weapp';

type Errors = Partial<Record<'username' | 'password' | 'invitationCode' | 'form', string>>;

/** Errors of a failed call: field messages under their fields, anything else above the button. */
function errorsOf(error: unknown): Errors {
  return formErrors(error, ['username', 'password', 'invitationCode']);
}

function enterApp() {
  void Taro.reLaunch({ url: HOME_PAGE });
}

/** Username-or-phone + password: the desk (H5) login, and an alternative in the mini-program. */
function PasswordLogin() {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const missing: Errors = {};
    if (!username.trim()) missing.username = '请输入用户名或手机号';
    if (!password) missing.password = '请输入密码';
    setErrors(missing);
    if (Object.keys(missing).length || busy) return;
    setBusy(true);
    try {
      await auth.login(username, password);
      enterApp();
    } catch (e) {
      setErrors(errorsOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className="login__form">
      <FormCard>
        <FormField label="账号" error={errors.username}>
          <Input name="username" placeholder="用户名或手机号" value={username} onChange={setUsername} clearable maxLength={64} />
        </FormField>
        <FormField label="密码" error={errors.password}>
          <Input name="password" type="password" placeholder="请输入密码" value={password} onChange={setPassword} maxLength={128} onConfirm={submit} />
        </FormField>
      </FormCard>
      {errors.form ? <View className="login__error login__error--form">{errors.form}</View> : null}
      <Button className="login__submit" type="primary" block loading={busy} onClick={submit}>
        登录
      </Button>
    </View>
  );
}

/** First WeChat login: prove who you are by an invitation code or the phone number WeChat vouches for. */
function BindForm({ bindToken, onRestart }: { bindToken: string; onRestart: () => void }) {
  const [tab, setTab] = useState<string | number>('invitation');
  const [code, setCode] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);

  const bind = async (input: { invitationCode?: string; phoneCode?: string }) => {
    if (busy) return;
    setBusy(true);
    setErrors({});
    try {
      await auth.bindWechat({ bindToken, ...input });
      enterApp();
    } catch (e) {
      // The bind token lives 10 minutes; once it is refused only a fresh WeChat login helps.
      if (isApiError(e) && e.code === 'WECHAT_CODE_INVALID') {
        void Taro.showToast({ title: '绑定已超时，请重新微信登录', icon: 'none' });
        onRestart();
        return;
      }
      setErrors(errorsOf(e));
    } finally {
      setBusy(false);
    }
  };

  const submitInvitation = () => {
    if (!code.trim()) {
      setErrors({ invitationCode: '请输入邀请码' });
      return;
    }
    void bind({ invitationCode: code });
  };

  const onPhone = (e: BaseEventOrig<ButtonProps.onGetPhoneNumberEventDetail>) => {
    const phoneCode = (e.detail as { code?: string }).code;
    if (!phoneCode) {
      setErrors({ form: '未获得手机号授权，可改用邀请码绑定' });
      return;
    }
    void bind({ phoneCode });
  };

  return (
    <View className="login__form">
      <View className="login__hint">首次使用需绑定您的身份，请输入工作人员提供的邀请码，或授权微信绑定的手机号。</View>
      <Tabs value={tab} onChange={setTab}>
        <TabPane title="邀请码" value="invitation">
          <FormCard>
            <FormField label="邀请码" error={errors.invitationCode}>
              <Input name="invitationCode" placeholder="请输入邀请码" value={code} onChange={setCode} maxLength={16} clearable />
            </FormField>
          </FormCard>
          <Button className="login__submit" type="primary" block loading={busy} onClick={submitInvitation}>
            绑定并登录
          </Button>
        </TabPane>
        <TabPane title="微信手机号" value="phone">
          <View className="login__hint">仅当您的手机号已由管理员登记时可用。</View>
          <TaroButton className="login__native-button" openType="getPhoneNumber" onGetPhoneNumber={onPhone} disabled={busy}>
            授权手机号并登录
          </TaroButton>
        </TabPane>
      </Tabs>
      {errors.form ? <View className="login__error login__error--form">{errors.form}</View> : null}
      <View
        className="login__switch"
        onClick={() => {
          storage.set(JOIN_BIND_KEY, bindToken);
          void Taro.navigateTo({ url: JOIN_PAGE });
        }}
      >
        企业联系人没有邀请码？按营业执照自助加入
      </View>
    </View>
  );
}

/** The mini-program's one-tap login; a first-time user continues to the bind form. */
function WechatLogin({ onBindingRequired }: { onBindingRequired: (bindToken: string) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const login = async () => {
    if (busy) return;
    setBusy(true);
    setError(undefined);
    try {
      const result = await auth.loginWithWechat();
      if (result.status === 'signed-in') enterApp();
      else onBindingRequired(result.bindToken);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <View className="login__form">
      <Button className="login__submit" type="primary" block loading={busy} onClick={login}>
        微信一键登录
      </Button>
      {error ? <View className="login__error login__error--form">{error}</View> : null}
    </View>
  );
}

/** Login: WeChat in the mini-program (with binding on first use), username/phone + password on H5. */
export default function LoginPage() {
  const [mode, setMode] = useState<'wechat' | 'password'>(IS_WEAPP ? 'wechat' : 'password');
  const [bindToken, setBindToken] = useState<string>();

  return (
    <View className="login">
      <View className="login__brand">
        <View className="login__title">项目管家</View>
        <View className="login__subtitle">助企服务 · 诉求直达 · 闭环办理</View>
      </View>
      {bindToken ? (
        <BindForm bindToken={bindToken} onRestart={() => setBindToken(undefined)} />
      ) : mode === 'wechat' ? (
        <WechatLogin onBindingRequired={setBindToken} />
      ) : (
        <PasswordLogin />
      )}
      {IS_WEAPP && !bindToken ? (
        <View className="login__switch" onClick={() => setMode(mode === 'wechat' ? 'password' : 'wechat')}>
          {mode === 'wechat' ? '工作人员？使用账号密码登录' : '返回微信一键登录'}
        </View>
      ) : null}
    </View>
  );
}
