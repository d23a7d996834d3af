// Plain metadata kept by the index. Never a value. Dates are epoch milliseconds (cheap to keep 10,000 of).

export type ParameterType = 'String' | 'StringList' | 'SecureString';

export interface ParameterPolicy { type?: string; status?: string; text?: string }

export interface ParameterMeta {
  kind: 'parameter';
  name: string;
  type?: ParameterType | string;
  tier?: string;
  version?: number;
  dataType?: string;
  keyId?: string;
  policies?: ParameterPolicy[];
  /** Epoch ms. */
  lastModified?: number;
  lastModifiedUser?: string;
  description?: string;
  arn?: string;
  allowedPattern?: string;
}

export interface SecretReplica { region: string; status?: string; statusMessage?: string; kmsKeyId?: string; lastAccessed?: number }

export interface SecretMeta {
  kind: 'secret';
  name: string;
  arn?: string;
  description?: string;
  kmsKeyId?: string;
  rotationEnabled: boolean;
  /** RotationRules.AutomaticallyAfterDays, if set. */
  rotationDays?: number;
  /** RotationRules.ScheduleExpression (e.g. `rate(30 days)`, `cron(...)`), if set. */
  rotationSchedule?: string;
  rotationWindow?: string;
  rotationLambdaArn?: string;
  /** Epoch ms. */
  lastRotated?: number;
  nextRotation?: number;
  lastAccessed?: number;
  lastChanged?: number;
  created?: number;
  /** Set when the secret is scheduled for deletion (epoch ms of the deletion request). */
  deletedDate?: number;
  primaryRegion?: string;
  owningService?: string;
  /**
   * Replica regions and statuses. ListSecrets does not return them; they are filled in by
   * SecretsIndex.loadDetails(name) (one DescribeSecret), and undefined until then.
   */
  replicas?: SecretReplica[];
  tags?: Record<string, string>;
  /** Version id → staging labels (AWSCURRENT, AWSPENDING, AWSPREVIOUS, custom). */
  versionStages?: Record<string, string[]>;
}

export type StoreItem = ParameterMeta | SecretMeta;

/** One page of a listing. */
export interface Page<T> { items: T[]; nextToken?: string }
