// missing-decryption fix: add `WithDecryption: true` (SDK) or `decrypt: true` (Powertools).
import { type ts, tsv } from '../ts';
import type { FetchCall } from '../lambda/model';
import { findProp } from '../lambda/model';
import type { Fix, SourceContext, TextEdit } from '../types';
import { editReplace } from './common';
import { lineIndentAt } from './style';

/** Where and what to insert to add `key: value` to an object literal, following its layout. Offsets are in `text`. */
export function propertyInsertion(text: string, sf: ts.SourceFile, obj: ts.ObjectLiteralExpression, key: string, value: string)
  : { start: number; end: number; newText: string } {
  const props = obj.properties;
  if (!props.length) return { start: obj.getStart(sf), end: obj.end, newText: `{ ${key}: ${value} }` };
  const last = props[props.length - 1];
  const multiline = text.slice(obj.getStart(sf), last.getStart(sf)).includes('\n');
  if (!multiline) return { start: last.end, end: last.end, newText: `, ${key}: ${value}` };
  const indent = lineIndentAt(text, last.getStart(sf));
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  if (props.hasTrailingComma) {
    const comma = text.indexOf(',', last.end);
    return { start: comma + 1, end: comma + 1, newText: `${eol}${indent}${key}: ${value},` };
  }
  return { start: last.end, end: last.end, newText: `,${eol}${indent}${key}: ${value}` };
}

/** The edit that adds `key: value` to an object literal, following its layout (one line or one property per line). */
export function addPropertyEdit(ctx: SourceContext, obj: ts.ObjectLiteralExpression, key: string, value: string): TextEdit {
  const e = propertyInsertion(ctx.text, ctx.sourceFile, obj, key, value);
  return editReplace(ctx, e.start, e.end, e.newText);
}

export function decryptionFix(ctx: SourceContext, f: FetchCall): Fix | undefined {
  if (f.style === 'powertools') {
    if (f.op === 'GetParameters') return undefined; // getParametersByName: per-name options
    if (f.ptOptions) {
      const p = findProp(f.ptOptions, 'decrypt');
      if (p && tsv.isPropertyAssignment(p)) {
        return { title: 'Set decrypt: true', edits: [editReplace(ctx, p.initializer.getStart(ctx.sourceFile), p.initializer.end, 'true')], isPreferred: true };
      }
      if (p) return undefined;
      return { title: 'Add decrypt: true', edits: [addPropertyEdit(ctx, f.ptOptions, 'decrypt', 'true')], isPreferred: true };
    }
    if (f.call.arguments.length !== 1) return undefined;
    const a = f.call.arguments[0];
    return { title: 'Add { decrypt: true }', edits: [editReplace(ctx, a.end, a.end, ', { decrypt: true }')], isPreferred: true };
  }
  if (!f.input || f.input.getSourceFile() !== ctx.sourceFile) return undefined;
  const p = findProp(f.input, 'WithDecryption');
  if (p && tsv.isPropertyAssignment(p)) {
    return {
      title: 'Set WithDecryption: true',
      edits: [editReplace(ctx, p.initializer.getStart(ctx.sourceFile), p.initializer.end, 'true')],
      isPreferred: true,
    };
  }
  if (p) return undefined;
  return { title: 'Add WithDecryption: true', edits: [addPropertyEdit(ctx, f.input, 'WithDecryption', 'true')], isPreferred: true };
}
