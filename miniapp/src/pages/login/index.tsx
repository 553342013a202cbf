import { View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { errorMessage } from '@guanjia/shared';
export default function Page() {
  return <View>login <Button type="primary">{errorMessage('NOT_FOUND')}</Button></View>;
}
