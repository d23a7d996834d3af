// Small helpers shared by the AWS-layer tests.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApiCallCounter, createConnection, type AwsLogger, type Connection, type ConnectionOptions } from '../../../src/aws';
import { DUMMY_CREDENTIALS, testEndpoint } from './emulator';

/** A logger that keeps every line (to check that no value is ever logged). */
export class MemoryLogger implements AwsLogger {
  readonly lines: string[] = [];
  trace(m: string): void { this.lines.push(`trace ${m}`); }
  debug(m: string): void { this.lines.push(`debug ${m}`); }
  info(m: string): void { this.lines.push(`info ${m}`); }
  warn(m: string): void { this.lines.push(`warn ${m}`); }
  error(m: string): void { this.lines.push(`error ${m}`); }
  get text(): string { return this.lines.join('\n'); }
}

export interface TestConnection { conn: Connection; counter: ApiCallCounter; logger: MemoryLogger }

/** A connection to the test emulator (or `endpoint`) with dummy credentials, a call counter and a memory logger. */
export async function emulatorConnection(opts: Partial<ConnectionOptions> & { endpoint?: string } = {}): Promise<TestConnection> {
  const counter = new ApiCallCounter();
  const logger = new MemoryLogger();
  const { endpoint, ...rest } = opts;
  const conn = await createConnection({
    endpointUrl: endpoint ?? testEndpoint(), region: 'us-east-1', credentials: DUMMY_CREDENTIALS,
    logger, onApiCall: counter.listener, ...rest,
  });
  return { conn, counter, logger };
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `keyway-${prefix}-`));
}

/** Sets environment variables for the duration of `fn`, restoring the previous values after. */
export async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(vars)) {
    saved[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** Records unhandled rejections while `fn` runs (and for a tick after). */
export async function collectUnhandledRejections(fn: () => Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const onRejection = (reason: unknown) => { seen.push(reason); };
  process.on('unhandledRejection', onRejection);
  try {
    await fn();
    await new Promise((r) => setTimeout(r, 50));
  } finally {
    process.off('unhandledRejection', onRejection);
  }
  return seen;
}
