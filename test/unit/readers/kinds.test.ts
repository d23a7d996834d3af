// Every file kind the analyzer reads: the reader finds the value under its name at its exact place, and
// hardcoded-secret reports it there; placeholders and references in the same files stay quiet.
import * as assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analyzer';
import { documentKind, readDocument } from '../../../src/core/readers';
import type { Finding, ParseProblem } from '../../../src/core/types';
import { FAKE } from '../secrets/fakes';

const PW = 'Zx9qLr7vTp2Wm4Kd8Jh';

function scan(path: string, text: string): { findings: Finding[]; problems: ParseProblem[] } {
  const problems: ParseProblem[] = [];
  const findings = analyzeText(path, text, { onParseError: (p) => problems.push(p) }).filter((f) => f.ruleId === 'hardcoded-secret');
  return { findings, problems };
}

/** The text each finding points at. */
function spans(text: string, findings: Finding[]): string[] {
  const lines = text.split('\n');
  return findings.map((f) => {
    if (f.range.start.line === f.range.end.line) return lines[f.range.start.line].slice(f.range.start.character, f.range.end.character);
    return lines[f.range.start.line].slice(f.range.start.character);
  });
}

function expectSecrets(path: string, text: string, values: string[], names?: string[]): Finding[] {
  const { findings, problems } = scan(path, text);
  assert.deepEqual(problems, [], `${path}: parse problems`);
  const got = spans(text, findings).map((s) => s.replace(/^["']|["']$/g, ''));
  assert.deepEqual(got.sort(), [...values].sort(), `${path}: reported spans`);
  if (names) assert.deepEqual(findings.map((f) => f.data?.name).sort(), [...names].sort(), `${path}: names`);
  for (const f of findings) for (const v of values) assert.ok(!f.message.includes(v), 'no value in a message');
  return findings;
}

describe('readers: every file kind', () => {
  it('maps paths to kinds', () => {
    const cases: [string, string | undefined][] = [
      ['a/.npmrc', 'npmrc'], ['.yarnrc', 'npmrc'], ['.yarnrc.yml', 'yaml'], ['.pypirc', 'ini'], ['.netrc', 'netrc'], ['_netrc', 'netrc'],
      ['.git-credentials', 'git-credentials'], ['samconfig.toml', 'toml'], ['pyproject.toml', 'toml'], ['setup.cfg', 'ini'],
      ['config/app.ini', 'ini'], ['src/main/resources/application.properties', 'properties'], ['docker-compose.yml', 'docker-compose'],
      ['docker-compose.prod.yaml', 'docker-compose'], ['compose.yaml', 'docker-compose'], ['Dockerfile', 'dockerfile'],
      ['api.Dockerfile', 'dockerfile'], ['Dockerfile.prod', 'dockerfile'], ['scripts/deploy.sh', 'shell'], ['.envrc', 'shell'],
      ['.github/workflows/ci.yml', 'ci-workflow'], ['.gitlab-ci.yml', 'ci-workflow'], ['.circleci/config.yml', 'ci-workflow'],
      ['buildspec.yml', 'ci-workflow'], ['bitbucket-pipelines.yml', 'ci-workflow'], ['src/__snapshots__/a.test.ts.snap', 'snapshot'],
      ['appsettings.Development.json', 'json'], ['.vscode/settings.json', 'json'], ['tsconfig.jsonc', 'json'],
      ['main.tf', 'terraform'], ['prod.tfvars', 'terraform'], ['certs/server.pem', 'private-key'], ['tls.key', 'private-key'],
      ['deploy/id_rsa', 'private-key'], ['id_ed25519', 'private-key'], ['id_rsa.pub', undefined], ['store.p12', 'keystore'],
      ['client.pfx', 'keystore'], ['.aws/credentials', 'ini'], ['credentials', undefined], ['a.d.ts', undefined], ['README.md', 'text'],
      ['functions/app.py', 'text'], ['main.go', 'text'], ['Config.java', 'text'], ['Makefile', 'text'], ['deploy/nginx.conf', 'text'],
      ['settings.xml', 'text'], ['api.http', 'text'], ['.sentryclirc', 'text'], ['logo.png', undefined], ['yarn.lock', undefined], ['go.sum', undefined],
      ['template.yaml', 'yaml'], ['x.env', 'env'], ['.env.production', 'env'],
      ['terraform.tfstate', 'json'], ['terraform.tfstate.backup', 'json'], ['kubeconfig', 'yaml'], ['deploy/kubeconfig-prod', 'yaml'],
      ['home/.kube/config', 'yaml'], ['config.yml.example', 'yaml'], ['settings.json.dist', 'json'], ['.npmrc.template', 'npmrc'],
      ['app.properties.bak', 'properties'], ['client.ovpn', 'text'], ['x.example', undefined], ['foo.bak', undefined],
    ];
    for (const [p, k] of cases) assert.equal(documentKind(p), k, p);
  });

  it('.npmrc and .yarnrc: auth tokens, passwords; ${VAR} references are quiet', () => {
    const npm = `registry=https://registry.npmjs.org/\n//npm.pkg.github.com/:_authToken=${FAKE.githubPat}\n`
      + `//registry.npmjs.org/:_authToken=\${NPM_TOKEN}\n; comment _password=${PW}\n//nexus.acme.io/:_password=${PW}\n`;
    // a commented-out password that is strong (high confidence) is still a leaked one: both lines are reported
    expectSecrets('.npmrc', npm, [FAKE.githubPat, PW, PW]);
    expectSecrets('.yarnrc', `registry "https://r.acme.io"\n"//r.acme.io/:_authToken" "${FAKE.githubPat}"\n`, [FAKE.githubPat]);
    expectSecrets('.yarnrc.yml', `npmRegistries:\n  "https://r.acme.io":\n    npmAuthToken: ${FAKE.githubPat}\n    npmAlwaysAuth: true\n`, [FAKE.githubPat]);
  });

  it('.pypirc, .ini, .cfg and ~/.aws/credentials: sections, = and :, quotes, inline comments', () => {
    expectSecrets('.pypirc', `[distutils]\nindex-servers =\n    pypi\n    private\n\n[pypi]\nusername = __token__\npassword = ${PW}\n\n[private]\nrepository: https://pypi.acme.io\npassword: <your-password>\n`, [PW], ['password']);
    expectSecrets('app.ini', `; db\n[database]\nhost = db.acme.io\npassword = "${PW}" ; prod\napi_key=\${API_KEY}\n`, [PW]);
    expectSecrets('.aws/credentials', `[default]\naws_access_key_id = ${FAKE.awsKeyId}\naws_secret_access_key = ${FAKE.awsSecret}\n`, [FAKE.awsKeyId, FAKE.awsSecret]);
  });

  it('.properties: separators, continuations, escapes', () => {
    const text = `# Spring\nspring.datasource.url=jdbc:postgresql://db:5432/app\nspring.datasource.password = ${PW}\n`
      + `stripe.secret\\:key: ${FAKE.stripeLive}\nplaceholder.password=\${DB_PASSWORD}\n! bang comment password=${PW}x\n`;
    // the commented-out strong password is still a leak (comments are scanned, high confidence only)
    expectSecrets('application.properties', text, [PW, FAKE.stripeLive, PW + 'x']);
  });

  it('.netrc and .git-credentials', () => {
    expectSecrets('.netrc', `machine api.acme.io\n  login deploy\n  password ${PW}\nmachine b.io login x password "<token>"\n`, [PW], ['password']);
    expectSecrets('.git-credentials', `https://bot:${FAKE.githubPat}@github.com\nhttps://${FAKE.githubOauth}@github.com\n`, [FAKE.githubPat, FAKE.githubOauth]);
  });

  it('TOML, including samconfig parameter_overrides in both forms', () => {
    const sam = `version = 0.1\n[default.deploy.parameters]\nstack_name = "orders"\n`
      + `parameter_overrides = "Stage=prod ApiKey=\\"${FAKE.stripeLive}\\" DbPassword=${PW} Table=orders"\n`
      + `[prod.deploy.parameters]\nparameter_overrides = ["Stage=prod", "GithubToken=${FAKE.githubPat}"]\n`;
    const f = expectSecrets('samconfig.toml', sam, [FAKE.stripeLive, PW, FAKE.githubPat], ['ApiKey', 'DbPassword', 'GithubToken']);
    assert.ok(f.every((x) => x.range.start.line >= 3));
    expectSecrets('pyproject.toml', `[tool.poetry]\nname = "x"\n[tool.acme]\ntoken = '${FAKE.githubPat}'\nnested.api_key = "${FAKE.stripeLive}"\n`, [FAKE.githubPat, FAKE.stripeLive]);
  });

  it('docker-compose: environment as a map and as KEY=value lists; build args', () => {
    const text = `services:\n  db:\n    image: postgres\n    environment:\n      - POSTGRES_PASSWORD=${PW}\n      - "STRIPE_KEY=${FAKE.stripeLive}"\n      - POSTGRES_USER=app\n`
      + `  api:\n    build:\n      args:\n        - NPM_TOKEN=${FAKE.githubPat}\n    environment:\n      API_TOKEN: \${API_TOKEN}\n      DB_PASSWORD: ${PW}x\n`;
    expectSecrets('docker-compose.yml', text, [PW, FAKE.stripeLive, FAKE.githubPat, PW + 'x'], ['POSTGRES_PASSWORD', 'STRIPE_KEY', 'NPM_TOKEN', 'DB_PASSWORD']);
  });

  it('Dockerfile: ENV (both forms), ARG, RUN shell with curl and headers, continuations', () => {
    const text = `FROM node:20\nARG NPM_TOKEN=${FAKE.githubPat}\nENV API_KEY=${FAKE.stripeLive} NODE_ENV=production\nENV DB_PASSWORD ${PW}\n`
      + `RUN curl -fsSL -u deploy:${PW}y https://repo.acme.io/x.tgz \\\n    -H "Authorization: Bearer ${FAKE.githubOauth}" | tar xz\nARG SECRET_REF\n`;
    expectSecrets('Dockerfile', text, [FAKE.githubPat, FAKE.stripeLive, PW, PW + 'y', 'Bearer ' + FAKE.githubOauth]);
  });

  it('shell scripts: export, flags, curl -u, headers, commented-out keys; $VAR references are quiet', () => {
    const text = `#!/usr/bin/env bash\nset -euo pipefail\nexport DB_PASSWORD='${PW}'\nexport TOKEN="$GITHUB_TOKEN"\n`
      + `curl -s -H 'X-Api-Key: ${FAKE.stripeLive}' https://api.acme.io/v1\naws-cli --password=${PW}z --profile prod\n`
      + `# export OLD_TOKEN=${FAKE.githubPat}\nmysql -h db -u root -p${PW}q app < dump.sql\n`;
    expectSecrets('deploy.sh', text, [PW, FAKE.stripeLive, PW + 'z', FAKE.githubPat, PW + 'q']);
  });

  it('CI workflows: env blocks and run steps (GitHub Actions, GitLab CI, CircleCI); ${{ secrets.X }} is quiet', () => {
    const gh = `on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    env:\n      TOKEN: \${{ secrets.TOKEN }}\n      STRIPE_KEY: ${FAKE.stripeLive}\n`
      + `    steps:\n      - uses: actions/checkout@v4\n      - run: |\n          export API_KEY=${FAKE.githubPat}\n          curl -u ci:${PW} https://x.acme.io\n      - run: "echo \${{ secrets.X }}"\n`;
    const f = expectSecrets('.github/workflows/deploy.yml', gh, [FAKE.stripeLive, FAKE.githubPat, PW]);
    assert.ok(f.every((x) => /github actions workflow/.test(x.message)));
    const gl = `deploy:\n  script:\n    - export AWS_SECRET_ACCESS_KEY=${FAKE.awsSecret}\n    - export AWS_ACCESS_KEY_ID=${FAKE.awsKeyId}\n    - ./deploy.sh\n`;
    expectSecrets('.gitlab-ci.yml', gl, [FAKE.awsSecret, FAKE.awsKeyId]);
    const cci = `jobs:\n  build:\n    steps:\n      - run:\n          name: publish\n          command: npm publish --//registry.npmjs.org/:_authToken=${FAKE.githubPat}\n`;
    expectSecrets('.circleci/config.yml', cci, [FAKE.githubPat]);
  });

  it('Terraform .tf and .tfvars through the HCL reader; references and variables are quiet', () => {
    const tf = `variable "db_password" {\n  default = "${PW}"\n}\nresource "aws_lambda_function" "api" {\n  environment {\n    variables = {\n      STRIPE_KEY = "${FAKE.stripeLive}"\n      TOKEN      = var.token\n      DB_URL     = "postgres://app:\${var.pw}@db/app"\n    }\n  }\n}\n`;
    expectSecrets('infra/main.tf', tf, [PW, FAKE.stripeLive]);
    expectSecrets('prod.tfvars', `region = "eu-west-1"\ngithub_token = "${FAKE.githubPat}"\n`, [FAKE.githubPat], ['github_token']);
  });

  it('Jest/Vitest snapshots', () => {
    const text = `// Jest Snapshot v1, https://goo.gl/fbAQLP\n\nexports[\`config renders 1\`] = \`\n{\n  "apiKey": "${FAKE.stripeLive}",\n  "db": {\n    "password": "${PW}",\n  },\n  "region": "eu-west-1",\n}\n\`;\n\n`
      + `exports[\`header 1\`] = \`"Bearer ${FAKE.githubPat}"\`;\n`;
    expectSecrets('src/__snapshots__/config.test.ts.snap', text, [FAKE.stripeLive, PW, 'Bearer ' + FAKE.githubPat]);
  });

  it('JSON of every shape, and JSON5-style or truncated JSON through the fallback', () => {
    expectSecrets('appsettings.Production.json', `{\n  "ConnectionStrings": { "Default": "Server=db;Database=app;User Id=sa;Password=${PW};" },\n  "Stripe": { "SecretKey": "${FAKE.stripeLive}" }\n}\n`, [`Server=db;Database=app;User Id=sa;Password=${PW};`, FAKE.stripeLive]);
    const { findings, problems } = scan('config/local.json5', `{\n  apiKey: '${FAKE.stripeLive}',\n  password: "${PW}",\n`);
    assert.equal(problems.length, 1);
    assert.equal(problems[0].fallback, 'key-value-pairs');
    assert.equal(findings.length, 2);
  });

  it('key files: PEM private keys are reported, certificates are not; key stores are reported without reading them', () => {
    expectSecrets('certs/server.key', FAKE.pem + '\n', [FAKE.pem.split('\n')[0]]);
    const cert = '-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ\n-----END CERTIFICATE-----\n';
    assert.deepEqual(scan('certs/ca.pem', cert).findings, []);
    const ks = scan('secrets/client.p12', '').findings;
    assert.equal(ks.length, 1);
    assert.equal(ks[0].data?.kind, 'private-key');
    assert.match(ks[0].message, /key store file checked in/);
  });

  it('minified bundles get the provider-key pass only (no generic names)', () => {
    const text = 'var a=' + JSON.stringify({ password: PW, k: FAKE.stripeLive }) + ';'.repeat(10) + 'x=1;'.repeat(20_000);
    const f = analyzeText('dist/app.js', text, { kind: 'bundle' });
    assert.deepEqual(f.map((x) => x.data?.kind), ['stripe-secret-key']);
  });

  it('CloudFormation with a multi-line single-quoted !Sub, tabs and duplicate keys still yields results', () => {
    const text = `AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Code:\n        ZipFile: !Sub '\n          import os\n          def handler(e, c):\n              return os.environ["X"]\n        '\n`
      + `      Environment:\n        Variables:\n          API_KEY: ${FAKE.stripeLive}\n  Bucket:\n\tType: AWS::S3::Bucket\n  Other:\n    Type: AWS::SSM::Parameter\n    Properties:\n      Value: ${FAKE.githubPat}\n`;
    const { findings, problems } = scan('template.yaml', text);
    assert.equal(problems.length, 1);
    assert.ok(['per-block', 'key-value-lines'].includes(problems[0].fallback ?? ''), problems[0].fallback);
    assert.ok(problems[0].position && problems[0].position.line > 0);
    assert.deepEqual(spans(text, findings).sort(), [FAKE.githubPat, FAKE.stripeLive].sort());
    const dup = `Resources:\n  Fn:\n    Properties:\n      Environment:\n        Variables:\n          TOKEN: ${FAKE.githubPat}\n  Fn:\n    Type: x\n`;
    assert.equal(scan('dup.yaml', dup).findings.length, 1);
  });

  it('readDocument never throws and reports what it could not read', () => {
    const d = readDocument('toml', 'a = "unterminated\n[x]\npassword = "' + PW + '"\n', 'x.toml');
    assert.ok(d.errors.length >= 1);
    assert.equal(d.fallback, 'ini-lines');
    assert.ok(JSON.stringify(d.roots).includes('password'));
  });
});
