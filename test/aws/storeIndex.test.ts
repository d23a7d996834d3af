import { strict as assert } from 'node:assert';
import { KeywayAwsError, StoreIndex, classifyAwsError, type Page, type PageFetcher } from '../../src/aws';
import { collectUnhandledRejections } from './support/helpers';

interface Item { name: string }

/** A fake listing of `total` items in pages of `size`, tokens are offsets; `fail(token)` may throw. */
function fakeListing(total: number, size: number, fail?: (token: string | undefined, call: number) => unknown): { fetch: PageFetcher<Item>; tokens: (string | undefined)[] } {
  const tokens: (string | undefined)[] = [];
  const fetch: PageFetcher<Item> = async (token) => {
    tokens.push(token);
    await new Promise((r) => setImmediate(r));
    const err = fail?.(token, tokens.length);
    if (err) throw err;
    const start = token ? Number(token) : 0;
    const items = Array.from({ length: Math.min(size, total - start) }, (_, i) => ({ name: `/s/${Math.floor((start + i) / 7)}/item-${start + i}` }));
    const next = start + size < total ? String(start + size) : undefined;
    return { items, nextToken: next } satisfies Page<Item>;
  };
  return { fetch, tokens };
}

const index = (fetchPage: PageFetcher<Item>, signal?: AbortSignal) =>
  new StoreIndex<Item>({ store: 'parameters', connectionId: 'p|r|e', connectionInstance: 1, fetchPage, signal });

describe('aws/index StoreIndex (fake listings)', () => {
  it('streams every page, in order, and completes with folder counts', async () => {
    const { fetch, tokens } = fakeListing(123, 50);
    const idx = index(fetch);
    const seen: [number, number, boolean][] = [];
    idx.onPage((e) => seen.push([e.pageNumber, e.total, e.done]));
    const state = await idx.load();
    assert.equal(state.status, 'complete');
    assert.equal(state.count, 123);
    assert.equal(state.pages, 3);
    assert.deepEqual(seen, [[1, 50, false], [2, 100, false], [3, 123, true]]);
    assert.deepEqual(tokens, [undefined, '50', '100']);
    assert.equal(idx.folder('/s')?.count, 123);
    assert.equal(idx.folder('/s/0')?.count, 7);
  });

  it('concurrent load() calls share one listing', async () => {
    const { fetch, tokens } = fakeListing(60, 50);
    const idx = index(fetch);
    const [a, b] = await Promise.all([idx.load(), idx.load()]);
    assert.equal(a.status, 'complete');
    assert.deepEqual(a, b);
    assert.equal(tokens.length, 2);
  });

  it('a failing page sets the error state; retry() resumes from that page token', async () => {
    let broken = true;
    const { fetch, tokens } = fakeListing(200, 50, (token) => (broken && token === '100' ? Object.assign(new Error('boom'), { name: 'InternalServerError', $metadata: { httpStatusCode: 500 } }) : undefined));
    const idx = index(fetch);
    const unhandled = await collectUnhandledRejections(async () => {
      const failed = await idx.load();
      assert.equal(failed.status, 'error');
      assert.equal(failed.error?.kind, 'Unknown');
      assert.equal(failed.error?.operation, 'DescribeParameters');
      assert.equal(idx.size, 100);
      broken = false;
      const ok = await idx.retry();
      assert.equal(ok.status, 'complete');
      assert.equal(ok.error, undefined);
    });
    assert.deepEqual(unhandled, []);
    assert.deepEqual(tokens, [undefined, '50', '100', '100', '150']);
    assert.equal(idx.size, 200);
  });

  it('keeps the classified info of a KeywayAwsError (e.g. AccessDenied with the action)', async () => {
    const denied = new KeywayAwsError(classifyAwsError(Object.assign(new Error('User: x is not authorized to perform: ssm:DescribeParameters'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } }), { operation: 'DescribeParameters' }));
    const idx = index(fakeListing(10, 5, () => denied).fetch);
    const state = await idx.load();
    assert.equal(state.status, 'error');
    assert.equal(state.error?.kind, 'AccessDenied');
    assert.equal(state.error?.action, 'ssm:DescribeParameters');
  });

  it('a listener that throws does not break loading', async () => {
    const idx = index(fakeListing(120, 50).fetch);
    idx.onPage(() => { throw new Error('listener bug'); });
    idx.onStateChange(() => { throw new Error('listener bug'); });
    const unhandled = await collectUnhandledRejections(async () => {
      assert.equal((await idx.load()).status, 'complete');
    });
    assert.deepEqual(unhandled, []);
    assert.equal(idx.size, 120);
  });

  it('a caller AbortSignal cancels; a page arriving after the abort is dropped', async () => {
    const controller = new AbortController();
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const fetch: PageFetcher<Item> = async (token) => {
      if (token === '2') await gate; // the third page is in flight when we abort
      const n = token ? Number(token) : 0;
      return { items: [{ name: `a${n}` }, { name: `b${n}` }], nextToken: String(n + 1) };
    };
    const idx = index(fetch);
    const pages: number[] = [];
    idx.onPage((e) => pages.push(e.pageNumber));
    const pending = idx.load(controller.signal);
    while (pages.length < 2) await new Promise((r) => setImmediate(r));
    controller.abort();
    release();
    const state = await pending;
    assert.equal(state.status, 'cancelled');
    assert.deepEqual(pages, [1, 2]);
    assert.equal(idx.size, 4);
  });

  it('reload() forgets everything and lists again from the first page', async () => {
    const { fetch, tokens } = fakeListing(70, 50);
    const idx = index(fetch);
    await idx.load();
    const again = await idx.reload();
    assert.equal(again.status, 'complete');
    assert.equal(again.pages, 2);
    assert.equal(idx.size, 70);
    assert.deepEqual(tokens, [undefined, '50', undefined, '50']);
  });

  it('an index whose owner signal is aborted ends cancelled and cannot be resumed', async () => {
    const owner = new AbortController();
    const idx = index(fakeListing(500, 50).fetch, owner.signal);
    idx.onPage((e) => { if (e.pageNumber === 2) owner.abort(); });
    const state = await idx.load();
    assert.equal(state.status, 'cancelled');
    assert.equal(idx.size, 100);
    assert.equal((await idx.retry()).status, 'cancelled');
    assert.equal(idx.size, 100);
  });
});
