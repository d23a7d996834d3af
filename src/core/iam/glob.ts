// IAM wildcard matching, shared by the policy checks and the iam-wildcard-resource rule: case-insensitive, `*` any
// run, `?` one character; iterative, O(pattern × text), so no backtracking blow-up.

export function globMatch(pattern: string, text: string): boolean {
  const p = pattern.toLowerCase(), t = text.toLowerCase();
  let pi = 0, ti = 0, star = -1, mark = 0;
  while (ti < t.length) {
    if (pi < p.length && (p[pi] === '?' || p[pi] === t[ti])) { pi++; ti++; }
    else if (pi < p.length && p[pi] === '*') { star = pi++; mark = ti; }
    else if (star >= 0) { pi = star + 1; ti = ++mark; }
    else return false;
  }
  while (pi < p.length && p[pi] === '*') pi++;
  return pi === p.length;
}

/** `*`, or an ARN of `service` whose resource part is a bare wildcard (`parameter/*`, `secret:*`, `*`). */
export function isAccountWide(resource: string, service: string): boolean {
  const r = resource.trim().replace(/\$\{[^}]*\}/g, 'X');
  if (r === '*') return true;
  const m = /^arn:([^:]*):([^:]*):([^:]*):([^:]*):(.*)$/.exec(r);
  if (!m) return false;
  const svc = m[2].toLowerCase();
  if (svc !== '*' && svc !== service) return false;
  return /^(?:\*|\*:\*|parameter\/?\*|parameter\*|secret:\*|secret\*|secret:\*:\*)$/.test(m[5]);
}
