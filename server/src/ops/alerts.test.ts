import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../lib/paths';
import { registry } from '../lib/metrics';

/**
 * docs/alerts.yml covers what docs/operations.md asks for, and names only series that exist (the app's registry, the backup's
 * textfile metric, node_exporter). With promtool available (PROMTOOL, or on PATH; Debian package `prometheus`) the
 * rules are also syntax-checked and their unit tests (docs/alerts.test.yml) run.
 */

const docs = path.join(repoRoot(), 'docs');
const rules = fs.readFileSync(path.join(docs, 'alerts.yml'), 'utf8');

it('has a rule for each thing the issue names', () => {
  const alerts = [...rules.matchAll(/^\s*- alert: (\S+)/gm)].map((m) => m[1]);
  expect(alerts).toEqual(expect.arrayContaining([
    'GuanjiaHigh5xxRate', 'GuanjiaSlowRoute', 'GuanjiaOutboxBacklogGrowing', 'GuanjiaJobNotRun', 'GuanjiaUploadsDiskNearlyFull', 'GuanjiaBackupTooOld',
  ]));
});

it('uses only series the app, the backup or node_exporter export', async () => {
  const ours = new Set((await registry.getMetricsAsJSON()).map((m) => m.name));
  const used = new Set([...rules.matchAll(/\b(guanjia_[a-z_]+)/g)].map((m) => m[1].replace(/_(bucket|count|sum)$/, '')));
  const backup = ['guanjia_backup_last_success_timestamp_seconds'];
  expect([...used].filter((n) => !ours.has(n) && !backup.includes(n))).toEqual([]);
  expect(rules).toMatch(/node_filesystem_avail_bytes/);
});

const promtool = process.env.PROMTOOL ?? (() => {
  try {
    return execFileSync('bash', ['-c', 'command -v promtool'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() || null;
  } catch {
    return null;
  }
})();

(promtool ? it : it.skip)('promtool: rules check and rule unit tests pass', () => {
  expect(execFileSync(promtool!, ['check', 'rules', 'alerts.yml'], { cwd: docs }).toString()).toMatch(/SUCCESS/);
  expect(execFileSync(promtool!, ['test', 'rules', 'alerts.test.yml'], { cwd: docs }).toString()).toMatch(/SUCCESS/);
});
