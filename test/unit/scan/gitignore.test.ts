import * as assert from 'node:assert/strict';
import { IgnoreMatcher, parsePattern } from '../../../src/core/scan/gitignore';

function m(text: string, base = ''): IgnoreMatcher {
  return new IgnoreMatcher().add(text, base);
}

describe('gitignore matcher', () => {
  it('skips blank lines and comments, keeps escaped #', () => {
    assert.equal(parsePattern(''), undefined);
    assert.equal(parsePattern('   '), undefined);
    assert.equal(parsePattern('# comment'), undefined);
    const g = m('\\#notes.ts\n');
    assert.equal(g.ignores('#notes.ts'), true);
    assert.equal(g.ignores('notes.ts'), false);
  });

  it('matches a bare name at any depth', () => {
    const g = m('secrets.ts');
    assert.equal(g.ignores('secrets.ts'), true);
    assert.equal(g.ignores('a/b/secrets.ts'), true);
    assert.equal(g.ignores('a/b/secrets.tsx'), false);
    assert.equal(g.ignores('a/mysecrets.ts'), false);
  });

  it('a bare name also matches a folder and so everything inside it', () => {
    const g = m('vendor');
    assert.equal(g.ignores('vendor', true), true);
    assert.equal(g.ignores('src/vendor/x.js'), true);
    assert.equal(g.ignores('src/vendors/x.js'), false);
  });

  it('* does not cross folders', () => {
    const g = m('src/*.js');
    assert.equal(g.ignores('src/a.js'), true);
    assert.equal(g.ignores('src/lib/a.js'), false);
  });

  it('? matches one character other than /', () => {
    const g = m('file?.ts');
    assert.equal(g.ignores('file1.ts'), true);
    assert.equal(g.ignores('file12.ts'), false);
    assert.equal(g.ignores('file.ts'), false);
  });

  it('bracket expressions, ranges and negated classes', () => {
    const g = m('log[0-9].txt\nx[!ab].ts\n');
    assert.equal(g.ignores('log5.txt'), true);
    assert.equal(g.ignores('logx.txt'), false);
    assert.equal(g.ignores('xc.ts'), true);
    assert.equal(g.ignores('xa.ts'), false);
  });

  it('an unclosed bracket is literal', () => {
    const g = m('a[b.ts');
    assert.equal(g.ignores('a[b.ts'), true);
    assert.equal(g.ignores('ab.ts'), false);
  });

  it('trailing slash matches folders only', () => {
    const g = m('logs/');
    assert.equal(g.ignores('logs', true), true);
    assert.equal(g.ignores('logs', false), false);
    assert.equal(g.ignores('deep/logs/app.ts'), true);
  });

  it('leading slash anchors to the ignore file folder', () => {
    const g = m('/config.ts');
    assert.equal(g.ignores('config.ts'), true);
    assert.equal(g.ignores('src/config.ts'), false);
  });

  it('a slash in the middle anchors too', () => {
    const g = m('doc/frotz/');
    assert.equal(g.ignores('doc/frotz', true), true);
    assert.equal(g.ignores('a/doc/frotz', true), false);
  });

  it('leading **/ matches in every folder', () => {
    const g = m('**/fixtures/*.json');
    assert.equal(g.ignores('fixtures/a.json'), true);
    assert.equal(g.ignores('x/y/fixtures/a.json'), true);
    assert.equal(g.ignores('x/fixtures/sub/a.json'), false);
  });

  it('trailing /** matches everything inside but not the folder itself', () => {
    const g = m('generated/**');
    assert.equal(g.ignores('generated/a.ts'), true);
    assert.equal(g.ignores('generated/deep/b.ts'), true);
    assert.equal(g.decide('generated', true), undefined);
  });

  it('/**/ in the middle matches zero or more folders', () => {
    const g = m('a/**/b.ts');
    assert.equal(g.ignores('a/b.ts'), true);
    assert.equal(g.ignores('a/x/b.ts'), true);
    assert.equal(g.ignores('a/x/y/b.ts'), true);
    assert.equal(g.ignores('z/a/b.ts'), false);
  });

  it('other ** behave like *', () => {
    const g = m('foo**.ts');
    assert.equal(g.ignores('foobar.ts'), true);
    assert.equal(g.ignores('foo/bar.ts'), false);
  });

  it('negation re-includes a file', () => {
    const g = m('*.yml\n!serverless.yml\n');
    assert.equal(g.ignores('a.yml'), true);
    assert.equal(g.ignores('serverless.yml'), false);
    assert.equal(g.decide('serverless.yml', false), false);
  });

  it('the last matching pattern wins', () => {
    const g = m('!keep.ts\n*.ts\n');
    assert.equal(g.ignores('keep.ts'), true);
  });

  it('a file cannot be re-included when its folder is excluded', () => {
    const g = m('build/\n!build/keep.ts\n');
    assert.equal(g.ignores('build/keep.ts'), true);
  });

  it('but can be when only the folder contents are excluded', () => {
    const g = m('build/*\n!build/keep.ts\n');
    assert.equal(g.ignores('build/keep.ts'), false);
    assert.equal(g.ignores('build/other.ts'), true);
  });

  it('escaped ! matches a literal !', () => {
    const g = m('\\!important.ts');
    assert.equal(g.ignores('!important.ts'), true);
  });

  it('trailing spaces are trimmed unless escaped', () => {
    assert.equal(m('a.ts   ').ignores('a.ts'), true);
    assert.equal(m('b.ts\\ ').ignores('b.ts '), true);
    assert.equal(m('b.ts\\ ').ignores('b.ts'), false);
  });

  it('CRLF line endings', () => {
    const g = m('a.ts\r\nb.ts\r\n');
    assert.equal(g.ignores('a.ts'), true);
    assert.equal(g.ignores('b.ts'), true);
  });

  it('patterns from a nested file apply only below their folder', () => {
    const g = new IgnoreMatcher().add('*.gen.ts', 'pkg');
    assert.equal(g.ignores('pkg/a.gen.ts'), true);
    assert.equal(g.ignores('pkg/sub/a.gen.ts'), true);
    assert.equal(g.ignores('a.gen.ts'), false);
    assert.equal(g.ignores('pkg2/a.gen.ts'), false);
  });

  it('anchored patterns of a nested file are relative to that folder', () => {
    const g = new IgnoreMatcher().add('/local.ts', 'pkg');
    assert.equal(g.ignores('pkg/local.ts'), true);
    assert.equal(g.ignores('pkg/sub/local.ts'), false);
    assert.equal(g.ignores('local.ts'), false);
  });

  it('a deeper file overrides a shallower one', () => {
    const g = new IgnoreMatcher().add('*.env', '').add('!app.env', 'svc');
    assert.equal(g.ignores('svc/app.env'), false);
    assert.equal(g.ignores('other/app.env'), true);
  });

  it('regex metacharacters in names are literal', () => {
    const g = m('a+b(c).ts\n$x.ts\n');
    assert.equal(g.ignores('a+b(c).ts'), true);
    assert.equal(g.ignores('aab(c).ts'), false);
    assert.equal(g.ignores('$x.ts'), true);
  });

  it('is case-sensitive, like git on Linux', () => {
    assert.equal(m('Secret.ts').ignores('secret.ts'), false);
  });

  it('accepts backslash and ./ prefixed paths', () => {
    const g = m('src/gen/');
    assert.equal(g.ignores('./src/gen/x.ts'), true);
    assert.equal(g.ignores('src\\gen\\x.ts'), true);
  });

  it('POSIX character classes', () => {
    const g = m('v[[:digit:]].ts');
    assert.equal(g.ignores('v1.ts'), true);
    assert.equal(g.ignores('va.ts'), false);
  });

  it('a lone ! or / is not a pattern', () => {
    assert.equal(parsePattern('!'), undefined);
    assert.equal(parsePattern('/'), undefined);
    assert.equal(m('!\n/\n').size, 0);
  });
});
