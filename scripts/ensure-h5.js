// `npm start` serves the mini-app's H5 build at /: build it once when it is missing (≈ 1 minute), never on later starts.
const fs = require('node:fs');
const path = require('node:path');
const { execSync } = require('node:child_process');

const index = path.join(__dirname, '..', 'miniapp', 'dist', 'h5', 'index.html');
if (!fs.existsSync(index) && process.env.SKIP_H5 !== '1') {
  console.log('Building the H5 web app once (miniapp/dist/h5)…');
  try {
    execSync('npm run build:h5', { stdio: 'inherit', cwd: path.join(__dirname, '..') });
  } catch {
    console.warn('H5 build failed: the API still starts; the web app at / is unavailable.');
  }
}
