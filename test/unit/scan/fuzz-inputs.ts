// Deterministic fuzz inputs: seeded PRNG, mutations of fixture and example snippets.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeText } from '../../../src/core/scan/files';
import { fixturesDir, repoRoot } from '../../support/paths';

/** mulberry32: small, fast, deterministic. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const BUILTIN_SEEDS: Record<string, string> = {
  'handler.ts': `import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';
import middy from '@middy/core';
const password = "Zx9!qLr7#vTp2@Wm";
export const handler = middy(async (event: any) => {
  const c = new SSMClient({});
  const a = await c.send(new GetParameterCommand({ Name: \`/app/\${process.env.STAGE}/db-password\` }));
  const b = await c.send(new GetParameterCommand({ Name: '/app/prod/table' }));
  return { a: a.Parameter?.Value, b };
});
class K { private apiKey = 'AKIAIOSFODNN7EXAMPLE'; constructor(token = "ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa") {} }
`,
  'legacy.js': `const AWS = require('aws-sdk');
exports.handler = function (event, context, cb) {
  const sm = new AWS.SecretsManager();
  sm.getSecretValue({ SecretId: 'prod/db' }, (err, data) => cb(err, data && JSON.parse(data.SecretString)));
};
module.exports.other = async () => new AWS.SSM().getParameter({ Name: 'x' }).promise();
`,
  'template.yaml': `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Environment:
        Variables:
          DB_PASSWORD: !Sub '{{resolve:secretsmanager:\${Secret}}}'
          API_KEY: sk_live_abcdefghijklmnopqrstuvwx
      Policies:
        - Statement:
            - Effect: Allow
              Action: [ssm:GetParameter, secretsmanager:*]
              Resource: !If [IsProd, '*', !Ref AWS::NoValue]
`,
  'serverless.yml': `service: x
provider:
  name: aws
  environment:
    SECRET: \${ssm:/app/secret}
    TOKEN: xoxb-123456789012-123456789012-abcdefghijabcdefghijabcd
  iam:
    role:
      statements:
        - Effect: Allow
          Action: 'ssm:*'
          Resource: '*'
`,
  'policy.json': `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:GetParameters","Resource":["*"]}]}`,
  '.env': `DB_PASSWORD=Zx9!qLr7#vTp2@Wm\nexport API_KEY="abc def"\n# comment\nEMPTY=\n`,
  // Every other kind the readers take (src/core/readers/).
  'samconfig.toml': `version = 0.1\n[default.deploy.parameters]\nstack_name = "orders"\nparameter_overrides = "Stage=prod ApiKey=\\"sk_live_Zx9qLr7vTp2Wm4Kd8Jh1234\\" Db=x"\n[[arr]]\nk = [1, 2, {a = "b"}]\nd = 1979-05-27T07:32:00Z\n`,
  'pyproject.toml': `[tool.poetry]\nname = "x"\n[tool.poetry.dependencies]\npython = "^3.11"\n[tool.acme]\ntoken = '''ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5'''\n`,
  '.npmrc': `registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken=npm_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8\n; c\n_auth=dXNlcjpwYXNz\n`,
  '.yarnrc': `registry "https://r.acme.io"\n"//r.acme.io/:_authToken" "tok123456789abc"\n`,
  '.yarnrc.yml': `npmRegistries:\n  "https://r.acme.io":\n    npmAuthToken: ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5\n`,
  '.pypirc': `[distutils]\nindex-servers =\n    pypi\n[pypi]\nusername = __token__\npassword = pypi-AgEIcHlwaS5vcmcCJGExYjJjM2Q0\n`,
  '.netrc': `machine api.acme.io\n  login deploy\n  password Zx9qLr7vTp2Wm4Kd8Jh\nmacdef init\ncd /x\n\ndefault login anonymous password me@x.io\n`,
  '.git-credentials': `https://bot:ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5@github.com\nhttps://x@gitlab.com\n`,
  'app.ini': `; c\n[database]\nhost = db\npassword = "Zx9qLr7vTp2Wm4Kd8Jh" ; x\n  continued\n[section "sub"]\nkey: v\n`,
  'application.properties': `# c\nspring.datasource.password=Zx9qLr7vTp2Wm4Kd8Jh\nlong.value = a \\\n   b \\u0041\nkey\\:x: y\n`,
  'docker-compose.yml': `services:\n  db:\n    image: postgres\n    environment:\n      - POSTGRES_PASSWORD=Zx9qLr7vTp2Wm4Kd8Jh\n      - "A=b"\n    build:\n      args:\n        - NPM_TOKEN=x\n  api:\n    environment:\n      TOKEN: \${TOKEN}\n`,
  'Dockerfile': `# escape=\\\nFROM node:20\nARG NPM_TOKEN=abc\nENV API_KEY=sk_live_Zx9qLr7vTp2Wm4Kd8Jh1234 B="x y"\nENV LEGACY value with spaces\nRUN curl -u a:b https://x \\\n  -H "Authorization: Bearer t" && echo ok\nCMD ["node", "--password=abcdefghijkl"]\n`,
  'deploy.sh': `#!/bin/bash\nset -e\nexport DB_PASSWORD='Zx9qLr7vTp2Wm4Kd8Jh'\ncurl -s -H "X-Api-Key: k" -u me:pw https://x | jq . ; echo "$(date)"\ntool --token=abc --password x\n# export OLD=sk_live_Zx9qLr7vTp2Wm4Kd8Jh1234\nmysql -pSecret123 db <<EOF\nselect 1;\nEOF\n`,
  '.github/workflows/ci.yml': `on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    env:\n      TOKEN: \${{ secrets.TOKEN }}\n    steps:\n      - run: |\n          export API_KEY=abc\n          curl -u me:pw https://x\n      - run: "echo hi"\n      - uses: x/y@v1\n        with:\n          password: Zx9qLr7vTp2Wm4Kd8Jh\n`,
  '.gitlab-ci.yml': `deploy:\n  script:\n    - export AWS_SECRET_ACCESS_KEY=wJ8lrXUtnFEMI/K7MDENG/bPxRfiCYZZ3aMpLEKq\n    - ./deploy.sh\n  only: [main]\n`,
  'config.test.ts.snap': '// Jest Snapshot v1\n\nexports[`config 1`] = `\n{\n  "apiKey": "sk_live_Zx9qLr7vTp2Wm4Kd8Jh1234",\n  "nested": Object {\n    "password": "Zx9qLr7vTp2Wm4Kd8Jh",\n  },\n}\n`;\n',
  'main.tf': `variable "pw" {\n  default = "Zx9qLr7vTp2Wm4Kd8Jh"\n}\nresource "aws_lambda_function" "f" {\n  environment {\n    variables = {\n      KEY = "sk_live_Zx9qLr7vTp2Wm4Kd8Jh1234"\n      REF = var.pw\n    }\n  }\n  policy = <<EOF\n{"a": "\${x}"}\nEOF\n}\n`,
  'prod.tfvars': `region = "eu-west-1"\ntoken = "ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5"\nlist = [1, { a = 2 }]\n`,
  'server.pem': '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\nVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK\n-----END RSA PRIVATE KEY-----\n',
  'bundle.min.js': '!function(e){var t={};function n(r){if(t[r])return t[r].exports}' + 'n.d=function(e,t){return e+t};'.repeat(400) + 'var k="sk_live_Zx9qLr7vTp2Wm4Kd8Jh1234";}([]);',
  'appsettings.json': `{\n  // comment\n  "ConnectionStrings": { "Default": "Server=db;User Id=sa;Password=Zx9qLr7vTp2Wm4Kd8Jh;" },\n  "Logging": { "LogLevel": { "Default": "Information", }, },\n}\n`,
  // YAML alias bomb ("billion laughs"): aliases are never expanded
  'bomb.yml': ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...'bcdefghi'.split('').map((c, k) => `${c}: &${c} [${Array(9).fill('*' + 'abcdefghi'[k]).join(',')}]`)].join('\n') + '\n',
  'deep.yaml': Array.from({ length: 150 }, (_, k) => ' '.repeat(k * 2) + 'k' + k + ':').join('\n') + ' Zx9qLr7vTp2Wm4Kd8Jh\n',
};

/** Binary seeds: a key store, bytes that are not UTF-8, a file with NUL bytes. */
export const BINARY_SEEDS: Record<string, Buffer> = {
  'client.p12': Buffer.from([0x30, 0x82, 0x0a, 0x1c, 0x02, 0x01, 0x03, 0x30, 0x82, 0x09, 0xe2, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01]),
  'invalid-utf8.yml': Buffer.concat([Buffer.from('password: '), Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x90, 0x28, 0xbc, 0xff, 0xfe]), Buffer.from('\nkey: Zx9qLr7vTp2Wm4Kd8Jh\n')]),
  'nul.ts': Buffer.from([0x63, 0x6f, 0x6e, 0x73, 0x74, 0x20, 0x00, 0x78, 0x3d, 0x31]),
};

export function listSeedFiles(dir: string, out: string[] = []): string[] {
  let entries: fs.Dirent[];
  try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return out; }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) { if (e.name !== 'node_modules') listSeedFiles(p, out); } else if (e.isFile()) {
      try { if (fs.statSync(p).size < 200_000) out.push(p); } catch { /* skip */ }
    }
  }
  return out;
}

export const EXTENSIONS = [
  'a.ts', 'b.tsx', 'c.js', 'd.mjs', 'e.cjs', 'f.jsx', 'g.mts', 'serverless.yml', 'template.yaml', 'policy.json', '.env', 'prod.env',
  'samconfig.toml', 'x.toml', '.npmrc', '.yarnrc', '.yarnrc.yml', '.pypirc', '.netrc', '.git-credentials', 'app.ini', 'setup.cfg',
  'application.properties', 'docker-compose.yml', 'Dockerfile', 'deploy.sh', '.github/workflows/ci.yml', '.gitlab-ci.yml',
  '.circleci/config.yml', 'x.test.ts.snap', 'main.tf', 'prod.tfvars', 'server.pem', 'id_rsa', 'client.p12', 'app.min.js', 'config.json5',
];

export interface Seed { name: string; bytes: Buffer }
export interface Mutation { name: string; bytes: Buffer | undefined; text: string | undefined }

/** Built-in snippets plus every small file under test/fixtures/ and examples/, in a stable order. */
export function loadSeeds(): Seed[] {
  const seeds: Seed[] = Object.entries(BUILTIN_SEEDS).map(([name, t]) => ({ name, bytes: Buffer.from(t) }));
  for (const [name, bytes] of Object.entries(BINARY_SEEDS)) seeds.push({ name, bytes });
  for (const f of [...listSeedFiles(fixturesDir), ...listSeedFiles(path.join(repoRoot, 'examples'))].sort()) {
    seeds.push({ name: path.basename(f), bytes: fs.readFileSync(f) });
  }
  return seeds;
}

/** The text the analyzer sees for a mutation (bytes are decoded like the scanner does). */
export function mutationText(m: Mutation): string {
  return m.text ?? decodeText(m.bytes!)?.text ?? m.bytes!.toString('latin1');
}

export function mutate(seeds: readonly Seed[], rand: () => number, i: number): Mutation {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const seed = pick(seeds);
  const name = rand() < 0.5 ? seed.name : pick(EXTENSIONS);
  let bytes = Buffer.from(seed.bytes);
  const op = i % 12;
  if (op >= 8) return lineMutation(name, bytes, seeds, rand, op);
  switch (op) {
    case 0: { // byte flips
      const n = 1 + Math.floor(rand() * 20);
      for (let k = 0; k < n && bytes.length; k++) bytes[Math.floor(rand() * bytes.length)] = Math.floor(rand() * 256);
      break;
    }
    case 1: // truncation
      bytes = bytes.subarray(0, Math.floor(rand() * bytes.length));
      break;
    case 2: { // splice two seeds
      const other = pick(seeds).bytes;
      const a = Math.floor(rand() * (bytes.length + 1));
      const b = Math.floor(rand() * (other.length + 1));
      bytes = Buffer.concat([bytes.subarray(0, a), other.subarray(b)]);
      break;
    }
    case 3: { // insert a slice of another seed in the middle
      const other = pick(seeds).bytes;
      const s = Math.floor(rand() * (other.length + 1));
      const e = s + Math.floor(rand() * (other.length - s + 1));
      const at = Math.floor(rand() * (bytes.length + 1));
      bytes = Buffer.concat([bytes.subarray(0, at), other.subarray(s, e), bytes.subarray(at)]);
      break;
    }
    case 4: { // deep nesting
      const depth = i % 80 === 4 ? 10_000 : 50 + Math.floor(rand() * 2000);
      const [open, close] = pick([['(', ')'], ['[', ']'], ['{', '}'], ['{a:', '}'], ['f(', ')'], ['- ', ''], ['  ', ''], ['<div>', '</div>'], ['if(x){', '}'], ['`${', '}`'], ['a?b:', ''], ['!', '']]);
      const body = rand() < 0.5 ? '"Zx9!qLr7#vTp2@Wm"' : seed.bytes.toString('utf8').slice(0, 200);
      const closeAll = rand() < 0.7;
      return { name, bytes: undefined, text: 'const password = ' + open.repeat(depth) + body + (closeAll ? close.repeat(depth) : '') };
    }
    case 5: { // odd encodings: UTF-16 LE/BE with BOM, latin1, lone surrogates
      const t = bytes.toString('utf8');
      const kind = Math.floor(rand() * 4);
      if (kind === 0) bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, 'utf16le')]);
      else if (kind === 1) { const le = Buffer.from(t, 'utf16le'); for (let k = 0; k + 1 < le.length; k += 2) { const x = le[k]; le[k] = le[k + 1]; le[k + 1] = x; } bytes = Buffer.concat([Buffer.from([0xfe, 0xff]), le]); }
      else if (kind === 2) bytes = Buffer.from(t.replace(/e/g, 'é'), 'latin1');
      else {
        const at = Math.floor(rand() * (t.length + 1));
        return { name, bytes: undefined, text: t.slice(0, at) + pick(['\uD800', '\uDFFF', '\uFEFF', '\u0000', '\u2028', '\uD83D']) + t.slice(at) };
      }
      break;
    }
    case 6: { // random garbage, including NUL and surrogates
      const n = Math.floor(rand() * 3000);
      let s = '';
      for (let k = 0; k < n; k++) s += String.fromCharCode(rand() < 0.8 ? 32 + Math.floor(rand() * 95) : Math.floor(rand() * 0x10000));
      return { name, bytes: undefined, text: s };
    }
    default: { // repetition of a slice (long lines, big files)
      const s = Math.floor(rand() * (bytes.length + 1));
      const piece = bytes.subarray(s, s + 1 + Math.floor(rand() * 80));
      const times = 1 + Math.floor(rand() * 2000);
      bytes = Buffer.concat([bytes, ...Array.from({ length: times }, () => piece)]);
    }
  }
  return { name, bytes, text: undefined };
}

/** Line-level mutations: delete, swap, insert (from another seed, or bytes that are not UTF-8), truncate lines. */
function lineMutation(name: string, bytes: Buffer, seeds: readonly Seed[], rand: () => number, op: number): Mutation {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const lines: Buffer[] = [];
  for (let s = 0; s <= bytes.length;) {
    const e = bytes.indexOf(10, s);
    if (e < 0) { lines.push(bytes.subarray(s)); break; }
    lines.push(bytes.subarray(s, e));
    s = e + 1;
  }
  const at = () => Math.floor(rand() * lines.length);
  const n = 1 + Math.floor(rand() * 4);
  for (let k = 0; k < n && lines.length; k++) {
    switch (op) {
      case 8: lines.splice(at(), 1 + Math.floor(rand() * 3)); break; // delete lines
      case 9: { const a = at(), b = at(); const t = lines[a]; lines[a] = lines[b]; lines[b] = t; break; } // swap lines
      case 10: { // insert a line of another seed, or invalid UTF-8
        const other = pick(seeds).bytes.toString('latin1').split('\n');
        const line = rand() < 0.2 ? Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0xed, 0xa0, 0x80]) : Buffer.from(pick(other), 'latin1');
        lines.splice(at(), 0, line);
        break;
      }
      default: { const i = at(); lines[i] = lines[i].subarray(0, Math.floor(rand() * (lines[i].length + 1))); } // truncate a line
    }
  }
  const out: Buffer[] = [];
  lines.forEach((l, k) => { out.push(l); if (k < lines.length - 1) out.push(Buffer.from([10])); });
  return { name, bytes: Buffer.concat(out), text: undefined };
}
