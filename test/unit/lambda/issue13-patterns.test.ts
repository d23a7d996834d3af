// Issue 13 patterns that had no test of their own: paginateDescribeParameters (§1), a handler named `index.default`
// by the infrastructure and `list`/`create` handlers of a callback-style serverless project (§1b).
import * as assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core';
import { lines, memoryProject, run } from './helpers';

const ids = (file: string, text: string, files: Record<string, string>) =>
  analyzeText(file, text, { project: memoryProject({ ...files, [file]: text }) }).map((f) => `${f.ruleId}:${f.range.start.line + 1}`);

describe('issue 13 patterns', () => {
  it('paginateDescribeParameters in the handler lists on every invocation; filled once at module scope it is a cache', () => {
    const perCall = `import { SSMClient, paginateDescribeParameters } from '@aws-sdk/client-ssm';
const ssm = new SSMClient({});

export const handler = async () => {
  const names: string[] = [];
  for await (const page of paginateDescribeParameters({ client: ssm }, { ParameterFilters: [{ Key: 'Path', Option: 'Recursive', Values: ['/orders/prod'] }] })) {
    for (const p of page.Parameters ?? []) names.push(p.Name!);
  }
  return names;
};
`;
    assert.deepEqual(lines(run(perCall), 'uncached-fetch'), [6]);
    const cached = `import { SSMClient, paginateDescribeParameters } from '@aws-sdk/client-ssm';
const ssm = new SSMClient({});
let names: Promise<string[]> | undefined;

async function listNames(): Promise<string[]> {
  const out: string[] = [];
  for await (const page of paginateDescribeParameters({ client: ssm }, {})) for (const p of page.Parameters ?? []) out.push(p.Name!);
  return out;
}

export const handler = async () => {
  names ??= listNames();
  return (await names).length;
};
`;
    assert.deepEqual(lines(run(cached), 'uncached-fetch'), []);
  });

  it('`handler: src/index.default` makes the default export a handler (arity and name do not matter)', () => {
    const code = `import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';

export default async () => {
  const ssm = new SSMClient({});
  const res = await ssm.send(new GetParameterCommand({ Name: '/cron/prod/maintenance-window' }));
  return res.Parameter?.Value;
};
`;
    const sls = 'service: cron\nprovider:\n  name: aws\n  runtime: nodejs20.x\nfunctions:\n  nightly:\n    handler: src/index.default\n    events:\n      - schedule: cron(0 3 * * ? *)\n';
    assert.ok(ids('src/index.ts', code, { 'serverless.yml': sls }).includes('uncached-fetch:5'));
  });

  it('callback handlers named `list` and `create` by serverless.yml (the classic todos layout); a helper export of the same file is not one', () => {
    const sls = 'service: todos\nprovider:\n  name: aws\n  runtime: nodejs18.x\nfunctions:\n  list:\n    handler: todos/list.list\n    events:\n      - http: { path: todos, method: get }\n';
    const list = `'use strict';
const AWS = require('aws-sdk');

module.exports.tableName = (stage) => {
  const ssm = new AWS.SSM();
  return ssm.getParameter({ Name: \`/todos/\${stage}/table\` }).promise();
};

module.exports.list = (event, context, callback) => {
  const ssm = new AWS.SSM();
  ssm.getParameter({ Name: '/todos/prod/table' }, (error, data) => {
    if (error) return callback(error);
    callback(null, { statusCode: 200, body: data.Parameter.Value });
  });
};
`;
    const found = ids('todos/list.js', list, { 'serverless.yml': sls }).filter((x) => x.startsWith('uncached-fetch'));
    assert.deepEqual(found, ['uncached-fetch:11']);
  });
});
