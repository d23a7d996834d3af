// The audit on show: findings as they stream in, progress, and the report it exports. No value is ever held here.
import type { AuditFinding, AuditTotals } from '../../../core/store/audit/index';

export interface AuditProgressState { parameters: number; secrets: number; listing: boolean; valuesQueued: number; valuesRead: number }

export interface AuditState {
  running: boolean;
  complete: boolean;
  cancelled: boolean;
  findings: AuditFinding[];
  fixed: Set<AuditFinding>;
  totals: AuditTotals;
  progress: AuditProgressState;
  errors: { where: string; message: string }[];
  startedAt: number;
  finishedAt?: number;
  region?: string;
  account?: string;
  endpoint?: string;
  connectionInstance: number;
  apiCalls?: number;
}
