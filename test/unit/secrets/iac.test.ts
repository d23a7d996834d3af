import assert from 'node:assert/strict';
import {
  CFN_SHORT_TAGS, get, getPath, intrinsicOf, parseEnv, parseInfra, parseJson, parseYaml, refName, resolvedText, scalarText,
  type IacNode,
} from '../../../src/core/iac';
import { FIX, scan } from './helpers';
import * as fs from 'node:fs';
import * as path from 'node:path';

const slice = (text: string, n: IacNode | undefined) => (n ? text.slice(n.start, n.end) : undefined);

describe('iac: YAML with CloudFormation tags', () => {
  it('parses every short tag on scalars, sequences and mappings without errors', () => {
    const required = ['Ref', 'Sub', 'GetAtt', 'If', 'Join', 'Select', 'FindInMap', 'ImportValue', 'Split', 'Base64', 'Equals',
      'Not', 'And', 'Or', 'Condition', 'GetAZs', 'Cidr'];
    for (const t of required) assert.ok((CFN_SHORT_TAGS as readonly string[]).includes(t), t);
    const lines = required.flatMap((t, i) => [`s${i}: !${t} value${i}`, `q${i}: !${t} [a, b]`, `m${i}: !${t} { k: v }`]);
    const text = lines.join('\n');
    const r = parseYaml(text);
    assert.deepEqual(r.errors, []);
    const root = r.roots[0];
    required.forEach((t, i) => {
      const s = get(root, `s${i}`)!, q = get(root, `q${i}`)!, m = get(root, `m${i}`)!;
      assert.equal(s.tag, t);
      assert.equal(s.type, 'scalar');
      assert.equal(slice(text, s), `value${i}`);
      assert.equal(q.tag, t);
      assert.equal(q.type, 'seq');
      assert.equal(m.tag, t);
      assert.equal(m.type, 'map');
    });
  });

  it('keeps offsets for nested tagged values in the fixture template', () => {
    const text = fs.readFileSync(path.join(FIX, 'template.yaml'), 'utf8');
    const model = parseInfra(text, 'yaml');
    assert.deepEqual(model.errors, []);
    assert.equal(model.format, 'cloudformation');
    const fn = model.functions.find((f) => f.name === 'CreateFn')!;
    const pick = fn.environment.find((v) => v.name === 'PICK')!.value;
    assert.equal(pick.tag, 'If');
    assert.equal(pick.type, 'seq');
    const inner = pick.type === 'seq' ? pick.items[1] : undefined;
    assert.equal(inner?.tag, 'Select');
    assert.equal(slice(text, getPath(fn.node, 'Properties', 'Handler')), 'src/create.handler');
    assert.equal(refName(fn.environment.find((v) => v.name === 'DB_SECRET_ARN')!.value), 'DbSecret');
  });

  it('unknown tags and malformed YAML never throw and produce a clear parse result', () => {
    const weird = parseYaml('a: !NotACfnTag { x: 1 }\nb: !!binary aGVsbG8=\n');
    assert.equal(get(weird.roots[0], 'a')?.type, 'map');
    for (const bad of ['a: [1, 2', 'a:\n  - b\n c: d', '\u0000\u0001\u0002', ': : :', '{{{{', 'a: "unterminated', '- !Ref', '&a [*a, *a]',
      'x: ' + '['.repeat(2000), '\t- a\n\t\t- b']) {
      assert.doesNotThrow(() => parseYaml(bad));
      const r = parseYaml(bad);
      assert.ok(Array.isArray(r.roots) && Array.isArray(r.errors));
      assert.doesNotThrow(() => scan('bad.yaml', bad));
      assert.deepEqual(scan('serverless.yml', bad).filter((f) => f.ruleId === 'secret-in-env' || f.ruleId === 'iam-wildcard-resource'), []);
    }
    assert.ok(parseYaml('a: [1, 2').errors.length > 0);
  });

  it('reads multi-document streams', () => {
    const r = parseYaml('a: 1\n---\nb: 2\n');
    assert.equal(r.roots.length, 2);
    assert.equal(scalarText(get(r.roots[1], 'b')), '2');
  });
});

describe('iac: JSON with offsets', () => {
  it('parses objects, arrays, escapes, comments, trailing commas and tabs with exact offsets', () => {
    const text = '{\n\t// comment\n\t"a": [1, -2.5e3, true, null, "x\\"y\\u0041\\n"],\n\t"b": { "c": "d" }, /* c */\n}';
    const r = parseJson(text);
    assert.deepEqual(r.errors, []);
    const a = get(r.roots[0], 'a')!;
    assert.equal(a.type, 'seq');
    if (a.type === 'seq') {
      assert.deepEqual(a.items.map((i) => (i.type === 'scalar' ? i.value : undefined)), [1, -2500, true, null, 'x"yA\n']);
      assert.equal(slice(text, a.items[4]), '"x\\"y\\u0041\\n"');
    }
    assert.equal(slice(text, getPath(r.roots[0], 'b', 'c')), '"d"');
  });
  it('malformed JSON returns an error instead of throwing', () => {
    for (const bad of ['{', '{"a": }', '[1,,2]', '"abc', '{"a" 1}', '', 'nul', '['.repeat(5000)]) {
      const r = parseJson(bad);
      assert.ok(r.errors.length > 0, bad.slice(0, 10));
    }
  });
  it('intrinsics in long form: Ref, Fn::GetAtt, Fn::Sub, Fn::Join', () => {
    const text = JSON.stringify({ a: { Ref: 'X' }, b: { 'Fn::Sub': ['arn:${P}:x', { P: 'aws' }] },
      c: { 'Fn::Join': [':', ['arn', { Ref: 'AWS::Partition' }, 'ssm']] } });
    const root = parseJson(text).roots[0];
    assert.equal(intrinsicOf(get(root, 'a'))?.fn, 'Ref');
    assert.equal(resolvedText(get(root, 'b')), 'arn:${P}:x');
    assert.equal(resolvedText(get(root, 'c')), 'arn:${AWS::Partition}:ssm');
  });
});

describe('iac: .env files', () => {
  it('parses export, quotes, escapes, multi-line values, inline comments and empty values', () => {
    const text = [
      '# comment',
      'export A=1',
      'B = "two words"',
      "C='single # not comment'",
      'D=plain # comment',
      'E="line1\\nline2"',
      'F="multi',
      'line"',
      'G=',
      '  H=indented',
    ].join('\n');
    const e = parseEnv(text);
    assert.deepEqual(e.map((x) => [x.key, x.value]), [
      ['A', '1'], ['B', 'two words'], ['C', 'single # not comment'], ['D', 'plain'], ['E', 'line1\nline2'], ['F', 'multi\nline'],
      ['G', ''], ['H', 'indented'],
    ]);
    const a = e[0];
    assert.equal(text.slice(a.keyStart, a.keyEnd), 'A');
    assert.equal(text.slice(e[2].valueStart, e[2].valueEnd), "'single # not comment'");
  });
});

describe('iac: infrastructure model', () => {
  it('serverless.yml: functions, handlers, merged environment and statements', () => {
    const text = fs.readFileSync(path.join(FIX, 'serverless.yml'), 'utf8');
    const m = parseInfra(text, 'yaml');
    assert.equal(m.format, 'serverless');
    assert.deepEqual(m.functions.map((f) => f.name), ['create', 'report']);
    const create = m.functions[0];
    assert.equal(slice(text, create.handler), 'src/create.handler');
    assert.ok(create.environment.some((v) => v.name === 'DB_PASSWORD' && v.scope === 'provider'));
    assert.ok(create.environment.some((v) => v.name === 'SIGNING_SECRET' && v.scope === 'function'));
    assert.equal(create.policyStatements.length, 3);
    assert.equal(m.functions[1].policyStatements.length, 4);
    assert.equal(m.policyStatements.length, 4);
    assert.deepEqual(m.policyStatements.map((s) => s.effect), ['Allow', 'Allow', 'Deny', 'Allow']);
  });
  it('SAM/CloudFormation: code location, roles linked through !GetAtt and policies attached by Roles', () => {
    const text = fs.readFileSync(path.join(FIX, 'template.yaml'), 'utf8');
    const m = parseInfra(text, 'yaml');
    const create = m.functions.find((f) => f.name === 'CreateFn')!;
    assert.equal(create.kind, 'sam');
    assert.equal(slice(text, create.codeUri), './dist');
    assert.deepEqual(create.policyTemplates.map((t) => t.name), ['SSMParameterReadPolicy', 'SSMParameterReadPolicy']);
    assert.ok(create.environment.some((v) => v.name === 'STRIPE_SECRET' && v.scope === 'globals'));
    const legacy = m.functions.find((f) => f.name === 'LegacyFn')!;
    assert.equal(legacy.kind, 'cloudformation');
    assert.deepEqual(legacy.policyStatements.map((s) => s.source), ['iam-role', 'iam-managed-policy']);
    assert.ok(m.parameters.has('DbPassword'));
  });
  it('IAM policy JSON documents', () => {
    const text = fs.readFileSync(path.join(FIX, 'policy.json'), 'utf8');
    const m = parseInfra(text, 'json');
    assert.equal(m.format, 'iam-policy');
    assert.equal(m.policyStatements.length, 3);
    assert.deepEqual(m.policyStatements.map((st) => st.sid), ['ReadAll', 'Scoped', 'Logs']);
    assert.equal(slice(text, m.policyStatements[1].resources[0]), '"arn:aws:secretsmanager:us-east-1:123456789012:secret:app/prod/*"');
  });
});
