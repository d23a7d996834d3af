// Keyway's score on the labeled secrets corpus (the one `npm run bench:secrets` compares with gitleaks and
// detect-secrets) is a floor that must never regress. Raise the floors when the detector gets better.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { allRules } from '../../../src/core/rules';
import { scanPaths } from '../../../src/core/scan';
import { copyCorpus, corpusFiles, keywayLocations, loadLabels, score } from '../../support/secretsCorpus';

const FLOOR = { precision: 0.99, recall: 0.99, f1: 0.99 };

describe('hardcoded-secret on the labeled corpus', () => {
  let dir = '';
  before(() => {
    dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'keyway-corpus-')), 'acme-orders');
    copyCorpus(dir);
    // a real checkout, as in bench:secrets: every file tracked, so the corpus's own ignore file (`*.log`) hides none
    const git = (...a: string[]) => spawnSync('git', a, { cwd: dir, encoding: 'utf8' });
    if (git('init', '-q').status === 0) git('add', '-A', '-f');
  });
  after(() => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));

  it(`scores at least precision ${FLOOR.precision}, recall ${FLOOR.recall}, F1 ${FLOOR.f1}`, () => {
    const rules = allRules.filter((r) => r.meta.id === 'hardcoded-secret');
    const result = scanPaths([dir], { rules });
    const labels = loadLabels();
    const s = score('keyway', keywayLocations(result.findings, dir), labels);
    const detail = `missed: ${s.missed.map((l) => `${l.file}:${l.first}`).join(', ') || 'none'}; false alarms: ${s.falsePositives.map((f) => `${f.file}:${f.first}`).join(', ') || 'none'}`;
    assert.ok(s.precision >= FLOOR.precision, `precision ${s.precision.toFixed(3)} < ${FLOOR.precision}; ${detail}`);
    assert.ok(s.recall >= FLOOR.recall, `recall ${s.recall.toFixed(3)} < ${FLOOR.recall}; ${detail}`);
    assert.ok(s.f1 >= FLOOR.f1, `F1 ${s.f1.toFixed(3)} < ${FLOOR.f1}; ${detail}`);
    // no finding carries a value: every labeled line's text stays out of messages and data
    const lines = new Map<string, string[]>();
    for (const l of labels) {
      const text = lines.get(l.file) ?? fs.readFileSync(path.join(dir, l.file), 'latin1').split('\n');
      lines.set(l.file, text);
      // value-like tokens (names such as SERVERLESS_ACCESS_KEY may appear in messages; values never)
      for (const v of ((text[l.first - 1] ?? '').match(/[A-Za-z0-9_+/=.~-]{20,}/g) ?? []).filter((t) => /\d/.test(t) && /[a-z]/i.test(t))) {
        for (const f of result.findings) assert.ok(!(f.message + JSON.stringify(f.data ?? {})).includes(v), `${l.file}:${l.first}: a finding repeats the value`);
      }
    }
  });

  it('every labeled line exists and the corpus spans the file kinds of a real repository', () => {
    const files = new Set(corpusFiles());
    for (const l of loadLabels()) assert.ok(files.has(l.file), `label for a missing file ${l.file}`);
    for (const f of ['.env', '.npmrc', '.netrc', '.pypirc', '.git-credentials', '.yarnrc.yml', 'samconfig.toml', 'docker-compose.yml', 'Dockerfile',
      'scripts/deploy.sh', '.github/workflows/deploy.yml', '.gitlab-ci.yml', '.circleci/config.yml', 'tests/__snapshots__/config.test.ts.snap',
      'infra/main.tf', 'infra/terraform.tfvars', 'keys/id_ed25519', 'keys/client.p12', 'dist/checkout.min.js', 'config/app.ini',
      'src/main/resources/application.properties', 'appsettings.json', 'serverless.yml', 'template.yaml',
      'functions/payments/handler.py', 'functions/inventory/main.go', 'docs/integrations.md', 'Makefile', 'deploy/nginx.conf', 'docs/api.http',
      '.sentryclirc', 'k8s/registry-credentials.yaml', '.terraform.lock.hcl', 'ecs/task-definition.json', 'web/index.html',
      // the unseen round: logs, HAR captures, shell history, notebooks, plists, server configs, SQL, key files without PEM
      'unseen-2026-12/data-scripts/logs/ingest-2026-11-30.log', 'unseen-2026-12/web-storefront/tools/checkout.har',
      'unseen-2026-12/data-scripts/ops/bash_history', 'unseen-2026-12/data-scripts/notebooks/explore_orders.ipynb',
      'unseen-2026-12/legacy-apps/ios/Acme/Info.plist', 'unseen-2026-12/legacy-apps/apache/vhost.conf',
      'unseen-2026-12/data-scripts/migrations/0007_reporting_user.sql', 'unseen-2026-12/legacy-apps/rails-shop/config/master.key',
      'unseen-2026-12/web-storefront/postman/storefront.postman_collection.json', 'unseen-2026-12/legacy-apps/wordpress/wp-config.php']) {
      assert.ok(files.has(f), f);
    }
  });
});
