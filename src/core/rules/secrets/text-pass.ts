// hardcoded-secret, every file kind: the whole-text pass after the values were judged — provider formats wherever they
// are (comments, regex literals, JSX text) and `name = value` assignments no reader turned into a value.
import { classifySecret, findSecretsInText, isSecretName, type SecretMatch } from '../../secrets';
import type { KeywayConfig } from '../../types';

/** `config.minConfidence: 'high'` keeps only verified formats and strong generic values. */
export function confident(config: KeywayConfig, m: SecretMatch): boolean {
  return config.minConfidence !== 'high' || m.confidence === 'high';
}

/** Sorted source ranges already judged as values; the whole-text pass skips matches inside them. */
export class Examined {
  private starts: number[] = [];
  private ends: number[] = [];
  private sorted = true;
  add(start: number, end: number): void {
    if (this.starts.length && start < this.starts[this.starts.length - 1]) this.sorted = false;
    this.starts.push(start);
    this.ends.push(end);
  }
  /** Whether [start, end) overlaps a judged range (a value that was judged already, or one inside it). */
  overlaps(start: number, end: number): boolean {
    if (!this.sorted) {
      const order = this.starts.map((_, i) => i).sort((a, b) => this.starts[a] - this.starts[b]);
      this.starts = order.map((i) => this.starts[i]);
      this.ends = order.map((i) => this.ends[i]);
      this.sorted = true;
    }
    // the last range starting before `end`, then back a little: ranges nest (a template around a literal)
    let lo = 0, hi = this.starts.length - 1, last = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid] < end) { last = mid; lo = mid + 1; } else hi = mid - 1;
    }
    for (let i = last; i >= 0 && i > last - 16; i--) if (this.ends[i] > start) return true;
    return false;
  }
}

/** Report the provider formats of the whole text that no value check has seen: comments, regex literals, JSX text. */
export function reportTextPass(
  text: string, examined: Examined, report: (start: number, end: number, m: SecretMatch, where: string, name?: string) => void,
  config: KeywayConfig, extraWords: ReadonlySet<string>, quotedOnly = false,
): void {
  const seen: SecretMatch[] = [];
  for (const m of findSecretsInText(text)) {
    if (examined.overlaps(m.start, Math.max(m.end, m.start + 1)) || !confident(config, m)) continue;
    seen.push(m);
    report(m.start, m.end, m, 'comment or text');
  }
  // Assignments nothing else read (commented-out code, JSX text, `# KEY=value` in a document's comments): a generic
  // value there counts only with high confidence.
  for (const a of unreadAssignments(text, examined, quotedOnly)) {
    if (seen.some((m) => m.start < a.end && a.start < m.end)) continue;
    const m = classifySecret(a.value, a.name, { extraWords, testCode: true });
    if (m && confident(config, m)) report(a.start, a.end, m, 'comment or text', a.name);
  }
}

const ASSIGN_HIT = /[:=][ \t]*(["'`]?)/g;
const BADGE_QUERY = /\.(?:svg|png|gif)\?[^\s"'()]*$/i;
const NAME_BEFORE = /([A-Za-z_$][\w$.-]*)["']?[ \t]*$/;

/** `name = 'value'`, `name: "value"`, `KEY=value` outside every judged value (comments, JSX text, unread lines). */
function* unreadAssignments(text: string, examined: Examined, quotedOnly: boolean): Generator<{ name: string; value: string; start: number; end: number }> {
  ASSIGN_HIT.lastIndex = 0;
  for (let m = ASSIGN_HIT.exec(text); m; m = ASSIGN_HIT.exec(text)) {
    const at = m.index;
    const quote = m[1];
    const valueStart = at + m[0].length;
    const c = text.charCodeAt(valueStart);
    if (!quote && (quotedOnly || (!(c >= 48 && c <= 57) && !(c >= 65 && c <= 90) && !(c >= 97 && c <= 122)))) continue;
    if (examined.overlaps(at, valueStart + 1)) continue;
    const before = text.slice(Math.max(0, at - 80), at);
    const name = NAME_BEFORE.exec(before)?.[1];
    if (!name || !isSecretName(name)) continue;
    // a status badge's image URL (`build.svg?token=…`): the token only shows the badge, and READMEs embed it on purpose
    if (BADGE_QUERY.test(before)) continue;
    let end = valueStart;
    const n = Math.min(text.length, valueStart + 400);
    if (quote) { while (end < n && text[end] !== quote && text[end] !== '\n') end++; if (text[end] !== quote) continue; }
    else while (end < n && !/[\s'"`;,)}<>]/.test(text[end])) end++;
    if (end - valueStart < 12) continue;
    yield { name, value: text.slice(valueStart, end), start: valueStart, end };
  }
}
