// Figures that tests measure (activation time, API call counts…), collected into the layer's results file
// so \`npm test\` can print them. Not timing assertions: speed targets live in the benchmarks.
import * as fs from 'node:fs';

function file(): string | undefined {
  const f = process.env.KEYWAY_TEST_RESULTS;
  return f ? `${f}.metrics.json` : undefined;
}

export function recordMetric(name: string, value: number | string): void {
  const f = file();
  if (!f) return;
  const all = readMetrics();
  all[name] = value;
  fs.writeFileSync(f, JSON.stringify(all));
}

export function readMetrics(): Record<string, number | string> {
  const f = file();
  try {
    return f ? (JSON.parse(fs.readFileSync(f, 'utf8')) as Record<string, number | string>) : {};
  } catch {
    return {};
  }
}
