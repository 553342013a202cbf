/**
 * The NutUI components the app uses, each with its own stylesheet: importing per component keeps the H5 and
 * mini-program packages small (NutUI's full stylesheet is ≈230 KB). Import NutUI only from here; add a
 * component by adding its style line and its name below.
 */
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css';
import '@nutui/nutui-react-taro/dist/es/packages/cell/style/css';
import '@nutui/nutui-react-taro/dist/es/packages/cellgroup/style/css';
import '@nutui/nutui-react-taro/dist/es/packages/input/style/css';
import '@nutui/nutui-react-taro/dist/es/packages/tag/style/css';
import '@nutui/nutui-react-taro/dist/es/packages/empty/style/css';
import '@nutui/nutui-react-taro/dist/es/packages/tabs/style/css';
import '@nutui/nutui-react-taro/dist/es/packages/noticebar/style/css';
import '@nutui/nutui-react-taro/dist/es/packages/skeleton/style/css';
import '@nutui/nutui-react-taro/dist/es/packages/avatar/style/css';
import '@nutui/nutui-react-taro/dist/es/packages/textarea/style/css';
import '@nutui/nutui-react-taro/dist/es/packages/rate/style/css';

export { Avatar, Button, Cell, CellGroup, Empty, Input, NoticeBar, Rate, Skeleton, TabPane, Tabs, Tag, TextArea } from '@nutui/nutui-react-taro';
