import * as assert from 'node:assert/strict';
import { stageEnvironment, substituteStage } from '../../../src/core/store/stage';

describe('store/stage: names resolved for one stage', () => {
  const o = { stage: 'prod', region: 'eu-west-1', account: '123456789012' };
  const cases: [string, string, string[]][] = [
    ['/app/${sls:stage}/db', '/app/prod/db', []],
    ['/app/${opt:stage}/db', '/app/prod/db', []],
    ["/app/${opt:stage, 'dev'}/db", '/app/prod/db', []],
    ['/app/${self:provider.stage}/db', '/app/prod/db', []],
    ['/app/${Stage}/db', '/app/prod/db', []],
    ['/app/${Environment}/db', '/app/prod/db', []],
    ['/app/${EnvironmentName}/db', '/app/prod/db', []],
    ['arn:aws:ssm:${AWS::Region}:${AWS::AccountId}:parameter/x', 'arn:aws:ssm:eu-west-1:123456789012:parameter/x', []],
    ['arn:${AWS::Partition}:ssm:${aws:region}:${aws:accountId}:parameter/x', 'arn:aws:ssm:eu-west-1:123456789012:parameter/x', []],
    ['/app/${env:STAGE}/x', '/app/prod/x', []],
    ['/app/${Tenant}/x', '/app/${Tenant}/x', ['Tenant']],
    ['/app/${env:NODE_ENV}/x', '/app/${env:NODE_ENV}/x', ['env:NODE_ENV']],
    ['${ssm:/app/${sls:stage}/x}', '${ssm:/app/prod/x}', ['ssm:/app/prod/x']],
  ];
  for (const [input, text, unresolved] of cases) {
    it(`${input} → ${text}`, () => assert.deepEqual(substituteStage(input, o), { text, unresolved }));
  }

  it('uses --var values for any variable, in IaC and environment form', () => {
    const v = { ...o, vars: { Tenant: 'acme', NODE_ENV: 'production' } };
    assert.equal(substituteStage('/app/${Tenant}/${env:NODE_ENV}', v).text, '/app/acme/production');
    assert.equal(substituteStage('/app/${param:Tenant}', v).text, '/app/acme');
  });

  it('builds the environment a handler runs with: IaC values resolved; stage variables only without IaC', () => {
    const iac = stageEnvironment(new Map([['STAGE', '${sls:stage}'], ['TABLE_PARAM', '/app/${sls:stage}/table']]), o);
    assert.equal(iac.get('STAGE'), 'prod');
    assert.equal(iac.get('TABLE_PARAM'), '/app/prod/table');
    assert.equal(iac.get('ENVIRONMENT'), undefined, 'the IaC does not set it: at run time it is unset');
    const none = stageEnvironment(undefined, { ...o, vars: { REGION_CODE: 'euw1' } });
    assert.equal(none.get('STAGE'), 'prod');
    assert.equal(none.get('APP_ENV'), 'prod');
    assert.equal(none.get('REGION_CODE'), 'euw1');
    assert.equal(none.get('NODE_ENV'), '${env:NODE_ENV}', 'an unknown variable stays visible as a variable');
  });
});
