import fs from 'node:fs';
import path from 'node:path';

/** The repository root (the folder whose package.json declares the workspaces), wherever this file was compiled to. */
export function repoRoot(from = __dirname): string {
  let dir = from;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, 'utf8')).workspaces) return dir;
    const up = path.dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}
