// Per-call logging and counting, as SDK v3 middleware. It records the operation, duration, attempt
// count and error name of every API call. It never looks at input parameters or output values.
import type { DeserializeHandlerOptions, HandlerExecutionContext, InitializeHandlerOptions, MetadataBearer, Pluggable } from '@smithy/types';

/** Shaped like VS Code's LogOutputChannel, so the extension can pass it straight through. */
export interface AwsLogger {
  trace?(message: string): void;
  debug?(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: AwsLogger = { info() {}, warn() {}, error() {} };

export interface ApiCallRecord {
  /** e.g. `SSM`, `Secrets Manager`, `STS`. */
  service: string;
  /** e.g. `DescribeParameters`. */
  operation: string;
  /** Wall time of the call including every retry, in ms. */
  durationMs: number;
  /** HTTP attempts the SDK made (1 = no retry). */
  attempts: number;
  ok: boolean;
  /** SDK error name when the call failed. */
  errorName?: string;
  httpStatus?: number;
  /** Connection id the call belongs to. */
  connectionId: string;
}

export type ApiCallListener = (record: ApiCallRecord) => void;

/** Counts calls per operation; hand `counter.listener` to a connection's `onApiCall`. */
export class ApiCallCounter {
  total = 0;
  attempts = 0;
  failed = 0;
  readonly byOperation = new Map<string, number>();
  readonly listener: ApiCallListener = (r) => {
    this.total++;
    this.attempts += r.attempts;
    if (!r.ok) this.failed++;
    this.byOperation.set(r.operation, (this.byOperation.get(r.operation) ?? 0) + 1);
  };
  count(operation: string): number { return this.byOperation.get(operation) ?? 0; }
  reset(): void { this.total = 0; this.attempts = 0; this.failed = 0; this.byOperation.clear(); }
}

const ATTEMPTS = Symbol('keywayAttempts');
type AttemptContext = HandlerExecutionContext & { [ATTEMPTS]?: number };

interface ErrMeta { name?: string; $metadata?: { attempts?: number; httpStatusCode?: number } }

/**
 * Middleware added at the `initialize` step (outside the retry loop), so one record = one API call,
 * whatever the number of retries.
 */
export function callTelemetryPlugin(opts: { connectionId: string; logger: AwsLogger; onApiCall?: ApiCallListener }): Pluggable<object, MetadataBearer> {
  const location: InitializeHandlerOptions & { priority: 'high' } = { step: 'initialize', priority: 'high', name: 'keywayCallTelemetry', override: true };
  const attemptLocation: DeserializeHandlerOptions & { priority: 'high' } = { step: 'deserialize', priority: 'high', name: 'keywayAttemptCounter', override: true };
  return {
    applyToStack(stack) {
      // Inside the retry loop: runs once per HTTP attempt.
      stack.add((next, context: HandlerExecutionContext) => (args) => {
        (context as AttemptContext)[ATTEMPTS] = ((context as AttemptContext)[ATTEMPTS] ?? 0) + 1;
        return next(args);
      }, attemptLocation);
      stack.add((next, context: HandlerExecutionContext) => async (args) => {
        const started = performance.now();
        const attemptsSeen = () => (context as AttemptContext)[ATTEMPTS] ?? 0;
        const service = context.clientName?.replace(/Client$/, '') ?? 'AWS';
        const operation = context.commandName?.replace(/Command$/, '') ?? 'Unknown';
        const emit = (rec: Omit<ApiCallRecord, 'service' | 'operation' | 'durationMs' | 'connectionId'>) => {
          const record: ApiCallRecord = { service, operation, durationMs: Math.round((performance.now() - started) * 10) / 10, connectionId: opts.connectionId, ...rec };
          try { opts.onApiCall?.(record); } catch { /* a listener must not break the call */ }
          const retries = record.attempts > 1 ? ` after ${record.attempts} attempts` : '';
          const line = `${service} ${operation} ${record.ok ? 'ok' : `failed ${record.errorName ?? 'Error'}${record.httpStatus ? ` (HTTP ${record.httpStatus})` : ''}`} in ${record.durationMs.toFixed(0)} ms${retries}`;
          try {
            if (record.ok) opts.logger.info(line);
            else if (record.errorName === 'AbortError') opts.logger.info(line);
            else opts.logger.warn(line);
          } catch { /* logging must not break the call */ }
        };
        try {
          const result = await next(args);
          const meta = (result.output as MetadataBearer | undefined)?.$metadata;
          emit({ ok: true, attempts: Math.max(meta?.attempts ?? 1, attemptsSeen()), httpStatus: meta?.httpStatusCode });
          return result;
        } catch (err) {
          const e = (typeof err === 'object' && err ? err : {}) as ErrMeta;
          emit({ ok: false, attempts: Math.max(e.$metadata?.attempts ?? 1, attemptsSeen()), errorName: e.name ?? 'Error', httpStatus: e.$metadata?.httpStatusCode });
          throw err;
        }
      }, location);
    },
  };
}
