import * as assert from 'node:assert/strict';
import { applyEdits } from '../../../src/core/fixes/apply';
import { lines, of, run } from './helpers';

const HEAD = `import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';
import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
const ssm = new SSMClient({});
const sm = new SecretsManagerClient({});
`;

describe('sequential-fetch', () => {
  it('two independent awaited v3 fetches, with a Promise.all fix', () => {
    const code = `${HEAD}
export const handler = async () => {
  const url = await ssm.send(new GetParameterCommand({ Name: '/app/url' }));
  const db = await sm.send(new GetSecretValueCommand({ SecretId: 'prod/db' }));
  return [url, db];
};
`;
    const f = of(run(code), 'sequential-fetch');
    assert.deepEqual(f.map((x) => x.range.start.line + 1), [7]);
    assert.equal(f[0].severity, 'info');
    assert.match(f[0].message, /Promise\.all/);
    assert.equal(f[0].data?.count, 2);
    // longer than 100 columns: one element per line
    assert.equal(applyEdits(code, f[0].fixes[0].edits), `${HEAD}
export const handler = async () => {
  const [url, db] = await Promise.all([
    ssm.send(new GetParameterCommand({ Name: '/app/url' })),
    sm.send(new GetSecretValueCommand({ SecretId: 'prod/db' }))
  ]);
  return [url, db];
};
`);
  });

  it('a statement in between that does not use the first result keeps the fetches independent (no fix: not adjacent)', () => {
    const code = `${HEAD}
export const handler = async () => {
  const a = await ssm.send(new GetParameterCommand({ Name: '/app/a' }));
  const name = process.env.B_NAME ?? '/app/b';
  const b = await ssm.send(new GetParameterCommand({ Name: name }));
  return [a, b];
};
`;
    const f = of(run(code), 'sequential-fetch');
    assert.deepEqual(f.map((x) => x.range.start.line + 1), [7]);
    assert.deepEqual(f[0].fixes, []);
  });

  it('a value computed from the first result in between makes the next fetch dependent', () => {
    const code = `${HEAD}
export const handler = async () => {
  const a = await ssm.send(new GetParameterCommand({ Name: '/app/config' }));
  const cfg = JSON.parse(a.Parameter!.Value!);
  const next = cfg.next as string;
  const b = await ssm.send(new GetParameterCommand({ Name: next }));
  return [a, b];
};
`;
    assert.deepEqual(of(run(code), 'sequential-fetch'), []);
  });

  it('awaits of a one-fetch wrapper of the file count as fetches, also inside one object literal', () => {
    const code = `const AWS = require('aws-sdk');
const ssm = new AWS.SSM();
const getParameter = async (name) => {
  const data = await ssm.getParameter({ Name: name, WithDecryption: true }).promise();
  return data.Parameter.Value;
};
const getPool = async () => ({
  user: await getParameter(process.env.USER_PARAM),
  host: await getParameter(process.env.HOST_PARAM),
});
exports.handler = async () => {
  const a = await getParameter('/app/a');
  const b = await getParameter('/app/b');
  return [a, b, await getPool()];
};
`;
    const f = of(run(code, { path: 'src/db.js' }), 'sequential-fetch');
    assert.deepEqual(f.map((x) => [x.range.start.line + 1, x.data?.count]), [[8, 2], [12, 2]]);
    assert.equal(applyEdits(code, f[1].fixes[0].edits).includes("const [a, b] = await Promise.all([getParameter('/app/a'), getParameter('/app/b')]);"), true);
    assert.deepEqual(f[0].fixes, []); // one statement: no rewrite offered
  });

  it('a `command` variable of another function is not taken for this one (another command)', () => {
    const code = `import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { CloudFormationClient, ListExportsCommand } from '@aws-sdk/client-cloudformation';
const sm = new SecretsManagerClient({});
const cfn = new CloudFormationClient({});
async function getSecret(id: string) {
  const command = new GetSecretValueCommand({ SecretId: id });
  return (await sm.send(command)).SecretString;
}
async function getExport(name: string) {
  const command = new ListExportsCommand({});
  return (await cfn.send(command)).Exports?.find((e) => e.Name === name);
}
export async function load() {
  const arn = await getExport('domain-arn');
  const endpoint = await getExport('domain-endpoint');
  return [arn, endpoint, await getSecret('prod/db')];
}
`;
    assert.deepEqual(of(run(code), 'sequential-fetch'), []);
  });

  it('a one-fetch wrapper imported from a relative module counts too', () => {
    const lib = `import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
const sm = new SecretsManagerClient({});
export const getSecret = async (id: string) => (await sm.send(new GetSecretValueCommand({ SecretId: id }))).SecretString;
export const getTwo = async () => [await getSecret('a'), await getSecret('b')];
`;
    const code = `import { getSecret } from './lib/secrets';
export const handler = async () => {
  const clientId = await getSecret('prod/oauth-client-id');
  const clientSecret = await getSecret('prod/oauth-client-secret');
  return { clientId, clientSecret };
};
`;
    const f = of(run(code, { files: { 'src/lib/secrets.ts': lib } }), 'sequential-fetch');
    assert.deepEqual(f.map((x) => [x.range.start.line + 1, x.data?.count]), [[3, 2]]);
    assert.match(applyEdits(code, f[0].fixes[0].edits), /const \[clientId, clientSecret\] = await Promise\.all\(\[/);
  });

  it('suggests one GetParameters call when several GetParameter are sequential', () => {
    const f = of(run(`${HEAD}
export async function handler() {
  const a = await ssm.send(new GetParameterCommand({ Name: '/a' }));
  const b = await ssm.send(new GetParameterCommand({ Name: '/b' }));
  const c = await ssm.send(new GetParameterCommand({ Name: '/c' }));
  return [a, b, c];
}`), 'sequential-fetch');
    assert.equal(f.length, 1);
    assert.equal(f[0].data?.count, 3);
    assert.match(f[0].message, /GetParameters call/);
  });

  it('SDK v2 .promise() calls in sequence, with unrelated statements between', () => {
    const f = of(run(`const AWS = require('aws-sdk');
const ssm = new AWS.SSM();
exports.handler = async (event) => {
  const a = await ssm.getParameter({ Name: '/a' }).promise();
  console.log('got a');
  const b = await ssm.getParameter({ Name: '/b' }).promise();
  return [a, b];
};`, { path: 'src/h.js' }), 'sequential-fetch');
    assert.deepEqual(f.map((x) => x.range.start.line + 1), [4]);
    assert.deepEqual(f[0].fixes, []); // not adjacent: no automatic rewrite
  });

  it('sequential fetches inside a cached loader still add cold-start latency', () => {
    const f = run(`${HEAD}
let config;
async function load() {
  const a = (await ssm.send(new GetParameterCommand({ Name: '/a' }))).Parameter?.Value;
  const b = (await ssm.send(new GetParameterCommand({ Name: '/b' }))).Parameter?.Value;
  return { a, b };
}
export const handler = async () => (config ??= await load());`);
    assert.deepEqual(lines(f, 'sequential-fetch'), [8]);
    assert.deepEqual(of(f, 'uncached-fetch'), []);
  });

  it('a for…of loop that awaits one fetch per name', () => {
    const f = of(run(`${HEAD}
export const handler = async (names: string[]) => {
  const out = [];
  for (const name of names) {
    const r = await ssm.send(new GetParameterCommand({ Name: name }));
    out.push(r.Parameter?.Value);
  }
  return out;
};`), 'sequential-fetch');
    assert.deepEqual(f.map((x) => x.range.start.line + 1), [9]);
    assert.equal(f[0].data?.loop, true);
  });

  it('Powertools calls awaited in sequence', () => {
    const f = run(`import { getParameter } from '@aws-lambda-powertools/parameters/ssm';
export const handler = async () => {
  const a = await getParameter('/a');
  const b = await getParameter('/b');
  return [a, b];
};`);
    assert.deepEqual(lines(f, 'sequential-fetch'), [3]);
  });

  it('several awaits in one object literal', () => {
    const f = run(`${HEAD}
export const handler = async () => {
  const cfg = {
    a: (await ssm.send(new GetParameterCommand({ Name: '/a' }))).Parameter?.Value,
    b: (await ssm.send(new GetParameterCommand({ Name: '/b' }))).Parameter?.Value,
  };
  return cfg;
};`);
    assert.deepEqual(lines(f, 'sequential-fetch'), [8]);
  });

  it('clean: the second fetch depends on the first one\'s result', () => {
    const f = run(`${HEAD}
export const handler = async () => {
  const p = await ssm.send(new GetParameterCommand({ Name: '/app/secret-id' }));
  const s = await sm.send(new GetSecretValueCommand({ SecretId: p.Parameter!.Value! }));
  return s;
};`);
    assert.deepEqual(of(f, 'sequential-fetch'), []);
  });

  it('clean: dependency through an intermediate variable', () => {
    const f = run(`${HEAD}
export const handler = async () => {
  const p = await ssm.send(new GetParameterCommand({ Name: '/app/prefix' }));
  const prefix = p.Parameter?.Value ?? '';
  const q = await ssm.send(new GetParameterCommand({ Name: prefix + '/url' }));
  return q;
};`);
    assert.deepEqual(of(f, 'sequential-fetch'), []);
  });

  it('clean: already parallel with Promise.all', () => {
    const f = run(`${HEAD}
export const handler = async () => {
  const [a, b] = await Promise.all([
    ssm.send(new GetParameterCommand({ Name: '/a' })),
    sm.send(new GetSecretValueCommand({ SecretId: 'b' })),
  ]);
  return [a, b];
};`);
    assert.deepEqual(of(f, 'sequential-fetch'), []);
  });

  it('clean: fetches in different branches, or separated by an early return', () => {
    const f = run(`${HEAD}
export const handler = async (event: { kind: string }) => {
  if (event.kind === 'a') {
    return ssm.send(new GetParameterCommand({ Name: '/a' }));
  }
  const a = await ssm.send(new GetParameterCommand({ Name: '/a' }));
  if (!a.Parameter) return null;
  const b = await ssm.send(new GetParameterCommand({ Name: '/b' }));
  return b;
};`);
    assert.deepEqual(of(f, 'sequential-fetch'), []);
  });

  it('clean: a single fetch, and fetches in separate functions', () => {
    const f = run(`${HEAD}
async function one() { return ssm.send(new GetParameterCommand({ Name: '/a' })); }
async function two() { return await ssm.send(new GetParameterCommand({ Name: '/b' })); }
export const handler = async () => {
  const x = await ssm.send(new GetParameterCommand({ Name: '/c' }));
  return [x, one, two];
};`);
    assert.deepEqual(of(f, 'sequential-fetch'), []);
  });

  it('clean: not awaited (promises started together)', () => {
    const f = run(`${HEAD}
export const handler = async () => {
  const pa = ssm.send(new GetParameterCommand({ Name: '/a' }));
  const pb = ssm.send(new GetParameterCommand({ Name: '/b' }));
  return [await pa, await pb];
};`);
    assert.deepEqual(of(f, 'sequential-fetch'), []);
  });
});
