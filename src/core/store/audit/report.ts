// The audit report as Markdown (to share) and JSON (for tools). Names and facts only: never a value.
import { auditCheck, auditTotals, sortFindings, usd, type AuditFinding, type AuditTotals } from './index';

export interface AuditReport {
  /** ISO date-time. */
  generatedAt: string;
  account?: string;
  region: string;
  endpoint?: string;
  scanned: { parameters: number; secrets: number; valuesRead: number };
  /** False when cancelled or a listing failed: the findings cover what was scanned. */
  complete: boolean;
  errors: { where: string; message: string }[];
  findings: AuditFinding[];
  totals: AuditTotals;
  /** API calls the audit made. */
  apiCalls?: number;
}

export function buildReport(r: Omit<AuditReport, 'totals' | 'findings'> & { findings: readonly AuditFinding[] }): AuditReport {
  const findings = sortFindings(r.findings);
  return { ...r, findings, totals: auditTotals(findings) };
}

/** Escapes text for a Markdown table cell: pipes, backslashes, backticks, line breaks and HTML. */
export function mdCell(s: string): string {
  return s.replace(/[\\`*_|<>[\]]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

export function auditMarkdown(r: AuditReport): string {
  const lines: string[] = [];
  lines.push('# Keyway account audit', '');
  const where = [r.account ? `account ${r.account}` : undefined, `region ${r.region}`, r.endpoint ? `endpoint ${r.endpoint}` : undefined].filter(Boolean).join(', ');
  lines.push(`${mdCell(where)} · ${r.generatedAt}`, '');
  lines.push(`Scanned ${r.scanned.parameters} parameters and ${r.scanned.secrets} secrets (${r.scanned.valuesRead} values read to judge them, none kept)${r.apiCalls !== undefined ? ` with ${r.apiCalls} API calls` : ''}.`);
  if (!r.complete) lines.push('', '**Incomplete:** the audit was cancelled or a listing failed; the findings cover what was scanned.');
  lines.push('', `**${r.totals.findings} finding${r.totals.findings === 1 ? '' : 's'}**, flagged items cost ${usd(r.totals.monthlyCost)} a month; the fixes save **${usd(r.totals.monthlySavings)} a month** (${usd(r.totals.monthlySavings * 12)} a year).`, '');
  if (r.totals.byCheck.length) {
    lines.push('| Finding | Items | Saves / month |', '| --- | ---: | ---: |');
    for (const c of r.totals.byCheck) lines.push(`| ${mdCell(c.title)} | ${c.count} | ${usd(c.monthlySavings)} |`);
    lines.push(`| **Total** | **${r.totals.findings}** | **${usd(r.totals.monthlySavings)}** |`, '');
  }
  let current: string | undefined;
  r.findings.forEach((f, i) => {
    if (f.check !== current) {
      current = f.check;
      const c = auditCheck(f.check);
      lines.push(`## ${c.title}`, '', c.why, '', '| Name | Now / month | After fix | Fix | Details |', '| --- | ---: | ---: | --- | --- |');
    }
    lines.push(`| \`${f.name.replace(/`/g, '\u02cb')}\` | ${usd(f.monthlyCost)} | ${usd(f.monthlyCostAfter)} | ${mdCell(f.fix.title)} | ${mdCell(f.message)} |`);
    const next = r.findings[i + 1];
    if (!next || next.check !== f.check) lines.push('');
  });
  if (r.errors.length) {
    lines.push('## Not checked', '');
    for (const e of r.errors) lines.push(`- ${mdCell(e.where)}: ${mdCell(e.message)}`);
    lines.push('');
  }
  lines.push('Prices: Secrets Manager $0.40 per secret per month; Parameter Store Standard free, Advanced $0.05 per parameter per month (list prices, API calls not included).', '');
  return lines.join('\n');
}

export function auditJson(r: AuditReport): string {
  return JSON.stringify({
    generatedAt: r.generatedAt, account: r.account, region: r.region, endpoint: r.endpoint, complete: r.complete,
    scanned: r.scanned, apiCalls: r.apiCalls, totals: r.totals, findings: r.findings, errors: r.errors,
  }, null, 2) + '\n';
}
