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

export const EXTENSIONS = ['a.ts', 'b.tsx', 'c.js', 'd.mjs', 'e.cjs', 'f.jsx', 'g.mts', 'serverless.yml', 'template.yaml', 'policy.json', '.env', 'prod.env'];

export interface Seed { name: string; bytes: Buffer }
export interface Mutation { name: string; bytes: Buffer | undefined; text: string | undefined }

/** Built-in snippets plus every small file under test/fixtures/ and examples/, in a stable order. */
export function loadSeeds(): Seed[] {
  const seeds: Seed[] = Object.entries(BUILTIN_SEEDS).map(([name, t]) => ({ name, bytes: Buffer.from(t) }));
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
  const op = i % 8;
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
