import { useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import type { Role } from '@guanjia/shared/roles';
import { Cell, CellGroup, NoticeBar } from './nutui';
import { StatusView } from './status-view';
import { useSession } from '../hooks/use-session';
import { ROLE_HOME } from '../services/role-home';
import './role-stub.scss';

export type PlannedScreen = { title: string; description: string };

/**
 * Placeholder of a role's subpackage until its APIs land: lists the screens that will come, so the
 * subpackage structure (and its size budget) exists from the start.
 */
export function RoleStub({ role, planned }: { role: Role; planned: PlannedScreen[] }) {
  const { user, error, reload } = useSession();
  const { params } = useRouter();
  const info = ROLE_HOME.find((r) => r.code === role);
  if (!user) return error ? <StatusView status="error" message={error} onRetry={reload} /> : <StatusView status="loading" />;
  const picked = info?.work.find((w) => w.key === params.item);
  return (
    <View className="role-stub">
      <NoticeBar content={`${picked ? `「${picked.title}」` : '这里的功能'}正在建设中，接口上线后即可使用。`} />
      <View className="role-stub__body">
        <CellGroup title={`${info?.label ?? ''} · 即将上线`}>
          {planned.map((p) => (
            <Cell key={p.title} title={p.title} description={p.description} />
          ))}
        </CellGroup>
      </View>
    </View>
  );
}
