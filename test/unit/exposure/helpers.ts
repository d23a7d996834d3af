import { analyzeText } from '../../../src/core/analyzer';
import { allRules } from '../../../src/core/rules';
import type { Finding, KeywayConfig, ParameterKind } from '../../../src/core/types';
import { memoryProject } from '../lambda/helpers';

export interface RunOptions {
  path?: string;
  files?: Record<string, string>;
  kinds?: Record<string, ParameterKind>;
  config?: Partial<KeywayConfig>;
}

/** secret-exposed findings for `code` (every rule runs, as in a scan; a rule error fails the test). */
export function exposed(code: string, opts: RunOptions = {}): Finding[] {
  const errors: string[] = [];
  const findings = analyzeText(opts.path ?? '/p/src/handler.ts', code, {
    rules: allRules,
    project: memoryProject(opts.files, []),
    parameterKind: opts.kinds ? (n) => opts.kinds![n] : undefined,
    config: opts.config,
    onRuleError: (id, e) => errors.push(`${id}: ${(e as Error)?.stack ?? e}`),
  });
  if (errors.length) throw new Error(`rule errors:\n${errors.join('\n')}`);
  return findings.filter((f) => f.ruleId === 'secret-exposed');
}

/** 1-based lines of the findings. */
export function lines(findings: Finding[]): number[] {
  return findings.map((f) => f.range.start.line + 1);
}

export const SM = `import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
const sm = new SecretsManagerClient({});
`;
export const SSM = `import { SSMClient, GetParameterCommand, GetParametersByPathCommand } from '@aws-sdk/client-ssm';
const ssm = new SSMClient({});
`;
