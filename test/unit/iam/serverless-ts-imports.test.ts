// serverless.ts with imported functions (issue 13 §3): the `aws-nodejs-typescript` template keeps each function in
// `src/functions/<name>/index.ts` (`handler: \`${handlerPath(__dirname)}/handler.main\``) and imports it through the
// tsconfig `paths` alias `@functions/*`, a relative index, a namespace import or a spread. The functions map to their
// handlers, environment and IAM statements exactly as a literal serverless.ts would.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeText } from '../../../src/core';
import { parseServerlessScript } from '../../../src/core/iac';
import { functionsFromServerlessScript, type IamFunction } from '../../../src/core/iam/functions';
import { iacHandlerExports } from '../../../src/core/iam/handlers';
import type { ProjectContext } from '../../../src/core/types';
import { fixturesDir } from '../../support/paths';

const ROOT = path.join(fixturesDir, 'serverless-ts', 'aws-nodejs-typescript');
const at = (...p: string[]) => path.join(ROOT, ...p);
const CONFIG = fs.readFileSync(at('serverless.ts'), 'utf8');

/** The fixture on disk, with some files replaced (or removed with `undefined`). */
function project(over: Record<string, string | undefined> = {}): ProjectContext {
  const abs = new Map(Object.entries(over).map(([k, v]) => [at(k), v]));
  return {
    readFile: (p) => {
      if (abs.has(p)) return abs.get(p);
      try { return fs.readFileSync(p, 'utf8'); } catch { return undefined; }
    },
    dependenciesOf: () => new Set(['@aws-sdk/client-ssm', '@aws-sdk/client-secrets-manager']),
    listDir: (d) => { try { return fs.readdirSync(d); } catch { return undefined; } },
  };
}

function summary(fns: IamFunction[]): string[] {
  return fns.map((f) => `${f.name} -> ${f.handlerFile ? path.relative(ROOT, f.handlerFile).split(path.sep).join('/') : `(not found: ${f.handlerSpec})`}#${f.handlerExport}`);
}

const EXPECTED = ['hello -> src/functions/hello/handler.ts#main', 'rotateKeys -> src/functions/rotate-keys/handler.ts#run'];

describe('serverless.ts with imported functions (aws-nodejs-typescript)', () => {
  it('follows @functions/* (tsconfig paths through extends), evaluates handlerPath(__dirname), and keeps each environment', () => {
    const fns = functionsFromServerlessScript(at('serverless.ts'), CONFIG, project());
    assert.deepEqual(summary(fns), EXPECTED);
    const [hello, rotate] = fns;
    assert.equal(hello.handlerSpec, 'src/functions/hello/handler.main');
    assert.equal(hello.env.get('GREETING_PARAM'), '/aws-nodejs-typescript/${sls:stage}/greeting');
    assert.equal(hello.env.get('AWS_NODEJS_CONNECTION_REUSE_ENABLED'), '1', 'provider environment too');
    assert.equal(rotate.env.get('SIGNING_SECRET_ID'), 'aws-nodejs-typescript/webhook-signing-key');
    // values from other files are placed at the expression that brings them in: `hello` in `functions: { hello, … }`
    const anchor = CONFIG.slice(hello.anchor!.start, hello.anchor!.end);
    assert.equal(anchor, 'hello');
    assert.ok(CONFIG.lastIndexOf('functions: { hello') < hello.anchor!.start);
  });

  const variants: [string, Record<string, string>][] = [
    ['a named import from a relative index (`import { hello } from \'./src/functions\'`)', {
      'serverless.ts': CONFIG.replace("import hello from '@functions/hello';\nimport rotateKeys from '@functions/rotate-keys';", "import { hello, rotateKeys } from './src/functions';"),
    }],
    ['a namespace import spread into functions (`functions: { ...functions }`)', {
      'serverless.ts': CONFIG.replace("import hello from '@functions/hello';\nimport rotateKeys from '@functions/rotate-keys';", "import * as functions from './src/functions';")
        .replace('functions: { hello, rotateKeys }', 'functions: { ...functions }'),
    }],
    ['a default-exported object of functions, spread, from an alias to the index', {
      'serverless.ts': CONFIG.replace("import hello from '@functions/hello';\nimport rotateKeys from '@functions/rotate-keys';", "import functions from '@functions/index';")
        .replace('functions: { hello, rotateKeys }', 'functions: { ...functions }'),
      'src/functions/index.ts': "import hello from './hello';\nimport rotateKeys from './rotate-keys';\n\nexport default { hello, rotateKeys };\n",
    }],
    ['spreads of imported function objects (`hello: { ...hello, timeout: 10 }`)', {
      'serverless.ts': CONFIG.replace('functions: { hello, rotateKeys }', 'functions: { hello: { ...hello, timeout: 10 }, rotateKeys: { ...rotateKeys } }'),
    }],
    ['CommonJS serverless.js with require of the index', {
      'serverless.ts': CONFIG.replace("import type { AWS } from '@serverless/typescript';\n\nimport hello from '@functions/hello';\nimport rotateKeys from '@functions/rotate-keys';", "const { hello, rotateKeys } = require('./src/functions');")
        .replace('const serverlessConfiguration: AWS = {', 'const serverlessConfiguration = {'),
    }],
  ];
  for (const [what, over] of variants) {
    it(`the same functions from ${what}`, () => {
      const fns = functionsFromServerlessScript(at('serverless.ts'), over['serverless.ts'], project(over));
      assert.deepEqual(summary(fns), EXPECTED);
      assert.equal(fns[0].env.get('GREETING_PARAM'), '/aws-nodejs-typescript/${sls:stage}/greeting');
    });
  }

  it('the IAM rules judge the imported functions: the secret read by rotateKeys is not granted (reported in serverless.ts)', () => {
    const iam = analyzeText(at('serverless.ts'), CONFIG, { project: project() }).filter((f) => f.ruleId.startsWith('iam-'));
    assert.deepEqual(iam.map((f) => f.ruleId), ['iam-missing-grant']);
    assert.match(iam[0].message, /Function "rotateKeys" reads secret "aws-nodejs-typescript\/webhook-signing-key"/);
    // the greeting parameter (through process.env.GREETING_PARAM, set in src/functions/hello/index.ts) is granted
    const otherPath = { 'src/functions/hello/index.ts': fs.readFileSync(at('src/functions/hello/index.ts'), 'utf8').replace("'/aws-nodejs-typescript/${sls:stage}/greeting'", "'/shared/greeting'") };
    const moved = analyzeText(at('serverless.ts'), CONFIG, { project: project(otherPath) }).filter((f) => f.ruleId === 'iam-missing-grant');
    assert.ok(moved.some((f) => /Function "hello" reads parameter "\/shared\/greeting"/.test(f.message)), moved.map((f) => f.message).join('\n'));
  });

  it('the Lambda rules treat main and run as handlers because serverless.ts names them; without it they do not', () => {
    assert.deepEqual([...(iacHandlerExports(at('src/functions/rotate-keys/handler.ts'), project()) ?? [])], ['run']);
    const file = at('src/functions/rotate-keys/handler.ts');
    const text = fs.readFileSync(file, 'utf8');
    const ids = analyzeText(file, text, { project: project() }).map((f) => f.ruleId);
    assert.ok(ids.includes('uncached-fetch'), ids.join(', '));
    const without = analyzeText(file, text, { project: project({ 'serverless.ts': undefined }) }).map((f) => f.ruleId);
    assert.ok(!without.includes('uncached-fetch'), without.join(', '));
  });

  it('negatives: a folder helper that is not project-relative, a missing module, and no file access leave the handler unknown without throwing', () => {
    const absolute = { 'src/libs/handler-resolver.ts': 'export const handlerPath = (context: string) => `${context}/`;\n' };
    const fns = functionsFromServerlessScript(at('serverless.ts'), CONFIG, project(absolute));
    assert.deepEqual(fns.map((f) => [f.name, f.handlerFile]), [['hello', undefined], ['rotateKeys', undefined]]);
    assert.equal(fns[0].handlerSpec, '${handlerPath(__dirname)}/handler.main');
    const missing = functionsFromServerlessScript(at('serverless.ts'), CONFIG, project({ 'src/functions/rotate-keys/index.ts': undefined }));
    assert.deepEqual(missing.map((f) => f.name), ['hello']);
    const parsed = parseServerlessScript(at('serverless.ts'), CONFIG);
    assert.equal(parsed.roots.length, 1, 'without a reader the file itself is still read');
    const cyclic = { 'src/functions/index.ts': "export * from './index';\nexport { default as hello } from './hello';\n" };
    const viaIndex = CONFIG.replace("import hello from '@functions/hello';\nimport rotateKeys from '@functions/rotate-keys';", "import * as functions from './src/functions';").replace('functions: { hello, rotateKeys }', 'functions: { ...functions }');
    assert.deepEqual(summary(functionsFromServerlessScript(at('serverless.ts'), viaIndex, project(cyclic))), [EXPECTED[0]]);
  });
});

describe('serverless.ts imports and the handler mapping cache', () => {
  it('an edit to an imported function module is seen (the handler moves), an edit to the handler is not needed', () => {
    const files: Record<string, string | undefined> = {};
    const ctx = project(files);
    const live: ProjectContext = { readFile: (p) => ctx.readFile(p), dependenciesOf: (p) => ctx.dependenciesOf(p), listDir: (d) => ctx.listDir!(d) };
    const rotate = at('src/functions/rotate-keys/handler.ts');
    assert.deepEqual([...(iacHandlerExports(rotate, live) ?? [])], ['run']);
    const moved = fs.readFileSync(at('src/functions/rotate-keys/index.ts'), 'utf8').replace('/handler.run', '/handler.rotate');
    const edited = project({ 'src/functions/rotate-keys/index.ts': moved });
    assert.deepEqual([...(iacHandlerExports(rotate, edited) ?? [])], ['rotate']);
  });
});
