import * as assert from 'node:assert/strict';
import { OverlappingEditsError, applyEdits } from '../../../src/core/fixes/apply';
import type { TextEdit } from '../../../src/core/types';

const at = (line: number, character: number) => ({ line, character });
const edit = (sl: number, sc: number, el: number, ec: number, newText: string): TextEdit => ({ range: { start: at(sl, sc), end: at(el, ec) }, newText });

describe('applyEdits', () => {
  it('applies edits given in any order, by position', () => {
    const text = 'const a = 1;\nconst b = 2;\n';
    const out = applyEdits(text, [edit(1, 10, 1, 11, '20'), edit(0, 10, 0, 11, '10'), edit(2, 0, 2, 0, 'const c = 3;\n')]);
    assert.equal(out, 'const a = 10;\nconst b = 20;\nconst c = 3;\n');
  });

  it('keeps insertions at the same offset in the order given, next to a replacement', () => {
    assert.equal(applyEdits('ab', [edit(0, 1, 0, 1, 'X'), edit(0, 1, 0, 1, 'Y'), edit(0, 1, 0, 2, 'Z')]), 'aXYZ');
  });

  it('deletes across lines and handles CRLF line starts', () => {
    assert.equal(applyEdits('one\r\ntwo\r\nthree', [edit(0, 3, 2, 0, ' ')]), 'one three');
  });

  it('rejects overlapping edits', () => {
    assert.throws(() => applyEdits('abcdef', [edit(0, 0, 0, 3, 'x'), edit(0, 2, 0, 4, 'y')]), OverlappingEditsError);
  });

  it('returns the text unchanged with no edits, and clamps positions past the end', () => {
    assert.equal(applyEdits('abc', []), 'abc');
    assert.equal(applyEdits('abc', [edit(0, 99, 0, 99, '!')]), 'abc!');
  });
});
