// Parameter Store access: the SSM client (created lazily per connection) and the few calls Keyway makes.
import type { SSMClient, ParameterMetadata } from '@aws-sdk/client-ssm';
import type { Connection } from './connection';
import { KeywayAwsError } from './errors';
import type { Page, ParameterMeta } from './model';

/** The SDK module, loaded once on first use (dist/aws.js stays cheap to load). */
let ssmSdkModule: Promise<typeof import('@aws-sdk/client-ssm')> | undefined;
const ssmSdk = () => (ssmSdkModule ??= import('@aws-sdk/client-ssm'));

/** DescribeParameters' maximum page size: the fewest calls for a full listing. */
export const DESCRIBE_PARAMETERS_PAGE_SIZE = 50;

export interface ParameterValue {
  name: string;
  value: string;
  type?: string;
  version?: number;
  /** Epoch ms. */
  lastModified?: number;
  arn?: string;
  dataType?: string;
}

const ms = (d: Date | undefined): number | undefined => (d ? d.getTime() : undefined);

export function toParameterMeta(p: ParameterMetadata): ParameterMeta {
  const m: ParameterMeta = { kind: 'parameter', name: p.Name ?? '' };
  if (p.Type) m.type = p.Type;
  if (p.Tier) m.tier = p.Tier;
  if (p.Version !== undefined) m.version = p.Version;
  if (p.DataType) m.dataType = p.DataType;
  if (p.KeyId) m.keyId = p.KeyId;
  if (p.Policies?.length) m.policies = p.Policies.map((x) => ({ type: x.PolicyType, status: x.PolicyStatus, text: x.PolicyText }));
  if (p.LastModifiedDate) m.lastModified = ms(p.LastModifiedDate);
  if (p.LastModifiedUser) m.lastModifiedUser = p.LastModifiedUser;
  if (p.Description) m.description = p.Description;
  if (p.ARN) m.arn = p.ARN;
  if (p.AllowedPattern) m.allowedPattern = p.AllowedPattern;
  return m;
}

export class SsmService {
  constructor(readonly connection: Connection) {}

  client(): Promise<SSMClient> {
    return this.connection.client<SSMClient>('ssm', async (cfg) => {
      const { SSMClient: Client } = await ssmSdk();
      return new Client(cfg);
    });
  }

  /** One DescribeParameters page (metadata only). Rejects with KeywayAwsError. */
  async describeParametersPage(nextToken: string | undefined, signal?: AbortSignal): Promise<Page<ParameterMeta>> {
    try {
      const { DescribeParametersCommand } = await ssmSdk();
      const client = await this.client();
      const out = await client.send(new DescribeParametersCommand({ MaxResults: DESCRIBE_PARAMETERS_PAGE_SIZE, NextToken: nextToken }), { abortSignal: this.connection.linkSignal(signal) });
      return { items: (out.Parameters ?? []).map(toParameterMeta), nextToken: out.NextToken || undefined };
    } catch (e) {
      throw new KeywayAwsError(this.connection.classify(e, 'ssm', 'DescribeParameters'), { cause: e });
    }
  }

  /** GetParameter WithDecryption. The value is returned to the caller only; it is never logged. */
  async getParameter(name: string, signal?: AbortSignal): Promise<ParameterValue> {
    try {
      const { GetParameterCommand } = await ssmSdk();
      const client = await this.client();
      const out = await client.send(new GetParameterCommand({ Name: name, WithDecryption: true }), { abortSignal: this.connection.linkSignal(signal) });
      const p = out.Parameter;
      return { name: p?.Name ?? name, value: p?.Value ?? '', type: p?.Type, version: p?.Version, lastModified: ms(p?.LastModifiedDate), arn: p?.ARN, dataType: p?.DataType };
    } catch (e) {
      throw new KeywayAwsError(this.connection.classify(e, 'ssm', 'GetParameter'), { cause: e });
    }
  }
}
