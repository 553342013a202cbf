import type { PropsWithChildren } from 'react';
import '@nutui/icons-react-taro/dist/style_icon.css';
import './app.scss';

/** Root component: Taro mounts every page inside it. Session checks happen per page (see useSession). */
function App({ children }: PropsWithChildren) {
  return children;
}

export default App;
