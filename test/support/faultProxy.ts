// A loopback HTTP proxy in front of an AWS emulator that injects faults into awsJson1.1 calls
// (SSM, Secrets Manager): ThrottlingException (HTTP 400, x-amzn-errortype + __type), HTTP 500s and
// stalls, chosen with a seeded PRNG so runs are reproducible. heal() stops all faults.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FaultPlan {
  /** Probability of answering ThrottlingException (0..1). */
  throttleRate?: number;
  /** Probability of answering HTTP 500 InternalServerError, while `maxServerErrors` lasts. */
  serverErrorRate?: number;
  maxServerErrors?: number;
  /** Probability of stalling a request for `stallMs` before forwarding it, while `maxStalls` lasts. */
  stallRate?: number;
  maxStalls?: number;
  stallMs?: number;
  /** Every matching request fails with this fault until heal() or a new plan. */
  failAll?: 'throttle' | 'server-error' | 'expired-token';
  /** Let this many matching requests through untouched before faults start. */
  passFirst?: number;
  /** Stop injecting after this many matching requests (the proxy "heals" by itself). */
  healAfter?: number;
  /** Only requests whose X-Amz-Target matches are faulted (default: all). */
  targets?: RegExp;
  /** PRNG seed (default 1). */
  seed?: number;
}

export interface FaultStats {
  requests: number;
  matched: number;
  forwarded: number;
  throttled: number;
  serverErrors: number;
  stalled: number;
  /** Stalled requests whose client gave up (SDK request timeout) before the stall ended. */
  abandoned: number;
  byTarget: Record<string, number>;
}

export interface FaultProxy {
  endpoint: string;
  port: number;
  stats: FaultStats;
  setPlan(plan: FaultPlan): void;
  /** No more faults: every request is forwarded at once. */
  heal(): void;
  close(): Promise<void>;
}

/** mulberry32: small, fast, seeded. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function emptyStats(): FaultStats {
  return { requests: 0, matched: 0, forwarded: 0, throttled: 0, serverErrors: 0, stalled: 0, abandoned: 0, byTarget: {} };
}

function sendError(res: http.ServerResponse, status: number, type: string, message: string): void {
  const body = JSON.stringify({ __type: type, message });
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'x-amzn-errortype': type,
    'x-amzn-requestid': `fault-${Math.random().toString(16).slice(2)}`,
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

export async function startFaultProxy(target: string, initial: FaultPlan = {}): Promise<FaultProxy> {
  const upstream = new URL(target);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  let plan: FaultPlan = initial;
  let rand = prng(initial.seed ?? 1);
  let stalls = 0;
  let serverErrors = 0;
  let matchedInPlan = 0;
  const stats = emptyStats();

  const forward = (req: http.IncomingMessage, body: Buffer, res: http.ServerResponse) => {
    stats.forwarded++;
    const up = http.request({
      host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, agent,
      headers: { ...req.headers, host: upstream.host },
    }, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      upRes.pipe(res);
    });
    up.on('error', () => { if (!res.headersSent) sendError(res, 502, 'BadGateway', 'upstream unreachable'); else res.destroy(); });
    up.end(body);
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      stats.requests++;
      const tgt = String(req.headers['x-amz-target'] ?? '');
      stats.byTarget[tgt] = (stats.byTarget[tgt] ?? 0) + 1;
      const p = plan;
      const matches = !p.targets || p.targets.test(tgt);
      if (!matches) return forward(req, body, res);
      stats.matched++;
      const n = ++matchedInPlan;
      if ((p.passFirst !== undefined && n <= p.passFirst) || (p.healAfter !== undefined && n > p.healAfter)) return forward(req, body, res);
      if (p.failAll === 'throttle') { stats.throttled++; return sendError(res, 400, 'ThrottlingException', 'Rate exceeded'); }
      if (p.failAll === 'expired-token') return sendError(res, 400, 'ExpiredTokenException', 'The security token included in the request is expired');
      if (p.failAll === 'server-error') { stats.serverErrors++; return sendError(res, 500, 'InternalServerError', 'Injected server error'); }
      // Always draw the same number of values per request, so one fault kind does not shift the others.
      const rStall = rand(), rServer = rand(), rThrottle = rand();
      if (p.stallRate && stalls < (p.maxStalls ?? Infinity) && rStall < p.stallRate) {
        stalls++;
        stats.stalled++;
        let gone = false;
        res.on('close', () => { if (!res.writableFinished) gone = true; });
        setTimeout(() => {
          if (gone || req.socket.destroyed) { stats.abandoned++; return; }
          forward(req, body, res);
        }, p.stallMs ?? 1000);
        return;
      }
      if (p.serverErrorRate && serverErrors < (p.maxServerErrors ?? Infinity) && rServer < p.serverErrorRate) {
        serverErrors++;
        stats.serverErrors++;
        return sendError(res, 500, 'InternalServerError', 'Injected server error');
      }
      if (p.throttleRate && rThrottle < p.throttleRate) {
        stats.throttled++;
        return sendError(res, 400, 'ThrottlingException', 'Rate exceeded');
      }
      forward(req, body, res);
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    stats,
    setPlan(next) {
      plan = next;
      rand = prng(next.seed ?? 1);
      stalls = 0;
      serverErrors = 0;
      matchedInPlan = 0;
    },
    heal() { plan = {}; },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      agent.destroy();
      server.close(() => resolve());
    }),
  };
}
