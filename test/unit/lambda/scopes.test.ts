// The Lambda model's shortcuts must answer exactly like the walks they replace: the scope index (names bound per
// function, read from the scan's node list) and a client's uses found where its name is written.
import * as assert from 'node:assert/strict';
import { ts } from '../../../src/core/ts';
import { BINDING_KINDS, declarationIn, indexScopes, isFunctionNode, localNames, walkTree } from '../../../src/core/lambda/syntax';
import type { FnNode } from '../../../src/core/lambda/types';
import { lines, of, run } from './helpers';

// Code the way people write it, odd corners included: defaults that hold functions, destructuring, overloads,
// class bodies inside functions, object-literal methods, catch clauses, constructors and function types.
const CODE = `import { SSMClient } from '@aws-sdk/client-ssm';
export function overloaded(a: string): string;
export function overloaded(a: string, { b, c: [d, , e] } = {} as any): string { const [f, ...g] = [a]; return f + b + d + e + g; }
export const handler = async (event: { id: string }, context?: unknown, cb = () => { const hidden = 1; return hidden; }) => {
  let count = 0;
  const { region = process.env.AWS_REGION, ...rest } = event as any;
  try { count++; } catch (err) { var late = err; }
  function helper(x: number, onDone: (y: number) => void) { const inner = x; onDone(inner); return inner; }
  class Local {
    static { const fromStatic = 1; void fromStatic; }
    field = (q: number) => { const deep = q; return deep; };
    constructor(private readonly ctorParam: string) {}
    method(m: number) { let mm = m; return mm; }
  }
  const obj = { shorthand(s: string) { const t = s; return t; }, arrow: (u = (w: number) => { var z = w; return z; }) => u };
  const again = 1; { const again = 2; void again; }
  for (const item of [1]) { const inLoop = item; void inLoop; }
  return (async (r) => (v) => v + r)(count) as unknown as Local | typeof obj | typeof rest | typeof region | typeof late | typeof helper;
};
export default function (this: unknown, ...args: unknown[]) { const k = args.length; return function named(n = k) { const j = n; return j; }; }
`;

function parse(): ts.SourceFile {
  return ts.createSourceFile('src/handler.ts', CODE, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
}

function functionsAndBindings(sf: ts.SourceFile): { fns: FnNode[]; bindings: ts.Node[] } {
  const fns: FnNode[] = [];
  const bindings: ts.Node[] = [];
  walkTree(sf, (n) => {
    if (isFunctionNode(n)) fns.push(n);
    if (BINDING_KINDS.includes(n.kind)) bindings.push(n);
  });
  return { fns, bindings };
}

/** Every name any function binds or reads, to ask declarationIn about each. */
function allNames(sf: ts.SourceFile): string[] {
  const out = new Set<string>();
  walkTree(sf, (n) => { if (ts.isIdentifier(n)) out.add(n.text); });
  return [...out];
}

describe('Lambda model: the scope index', () => {
  it('names bound per function and declarations per function: the index answers exactly like the walks', () => {
    const walked = parse();
    const indexed = parse();
    const a = functionsAndBindings(walked);
    const b = functionsAndBindings(indexed);
    indexScopes(indexed, b.bindings);
    assert.equal(a.fns.length, b.fns.length);
    assert.ok(a.fns.length >= 12, `the sample has many function shapes (${a.fns.length})`);
    const names = allNames(walked);
    let declarations = 0;
    for (let i = 0; i < a.fns.length; i++) {
      const fromWalk = [...localNames(a.fns[i], new Map())].sort();
      const fromIndex = [...localNames(b.fns[i], new Map())].sort();
      assert.deepEqual(fromIndex, fromWalk, `localNames of function #${i} (line ${walked.getLineAndCharacterOfPosition(a.fns[i].getStart()).line + 1})`);
      for (const name of names) {
        const dw = declarationIn(a.fns[i], name);
        const di = declarationIn(b.fns[i], name);
        assert.equal(di?.getStart(), dw?.getStart(), `declarationIn(#${i}, ${name})`);
        if (dw) declarations++;
      }
    }
    assert.ok(declarations >= 15, `declarations were found (${declarations})`);
  });

  it('the walk sees what the index sees: a nested default, a class static block and a shadowing block', () => {
    const sf = parse();
    const { fns, bindings } = functionsAndBindings(sf);
    indexScopes(sf, bindings);
    const handler = fns.find((f) => f.parent && ts.isVariableDeclaration(f.parent) && f.parent.name.getText() === 'handler')!;
    const loc = localNames(handler, new Map());
    // its own parameters, a nested function's parameters and locals, a class static block's local
    for (const n of ['event', 'cb', 'count', 'region', 'rest', 'err', 'late', 'helper', 'x', 'onDone', 'inner', 'Local', 'fromStatic', 'q', 'deep', 'm', 'mm', 's', 't', 'u', 'w', 'z', 'item', 'inLoop', 'r', 'v']) {
      assert.ok(loc.has(n), `handler binds ${n}`);
    }
    // `hidden` is in a parameter's default, not the body; `y` names a function type's parameter; the constructor's parameter is no function node's
    for (const n of ['hidden', 'y', 'ctorParam', 'k', 'j']) assert.ok(!loc.has(n), `handler does not bind ${n}`);
    // the first declaration of a name in the body, not the one in a nested block; none from nested functions
    assert.equal(declarationIn(handler, 'again')?.initializer?.getText(), '1');
    assert.equal(declarationIn(handler, 'inner'), undefined);
    assert.equal(declarationIn(handler, 'fromStatic')?.initializer?.getText(), '1');
  });
});

describe('Lambda rules: a client used only by its reads', () => {
  const code = (use: string) => `import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';

export const handler = async (event: { id: string }) => {
  const ssm = new SSMClient({}); // the ssm client
  const res = await ${use}.send(new GetParameterCommand({ Name: '/app/ssm' }));
  return { id: event.id, ssm: 'ssm', value: res.Parameter?.Value, other: event.id + "ssm" };
};
`;

  it('is found where its name is written (comments, strings and property names are not uses), with escapes too', () => {
    for (const use of ['ssm', '\\u0073sm', '(ssm)']) {
      const f = run(code(use));
      assert.deepEqual(lines(f, 'client-in-handler'), [], use);
      const u = of(f, 'uncached-fetch');
      assert.deepEqual(u.map((x) => x.range.start.line + 1), [5], use);
      assert.match(u[0].message, /constructs a new SSMClient for this call each time/, use);
    }
  });

  it('a client with another use is reported on its own', () => {
    const f = run(code('ssm').replace("ssm: 'ssm'", 'ssm'));
    assert.deepEqual(lines(f, 'client-in-handler'), [4]);
    assert.doesNotMatch(of(f, 'uncached-fetch')[0].message, /constructs a new SSMClient/);
  });
});
