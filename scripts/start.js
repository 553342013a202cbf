// `npm start`: on a fresh machine (no DATABASE_URL) the server runs on its embedded PostgreSQL as a local development
// start, so the development defaults (public JWT secret, WeChat dev codes) are switched on here — explicitly, and the
// server says so in its log. With DATABASE_URL set nothing is assumed: JWT_SECRET (and WeChat credentials, or
// GUANJIA_DEV=1 by hand) must be given, and the server refuses to start otherwise.
const path = require('node:path');

if (!process.env.DATABASE_URL && process.env.GUANJIA_DEV === undefined && process.env.NODE_ENV !== 'production') {
  process.env.GUANJIA_DEV = '1';
}
// boot.js runs the one-file bundle that `npm run build` makes (server.js when there is none).
require(path.join(__dirname, '..', 'server', 'dist', 'server', 'src', 'boot.js'));
