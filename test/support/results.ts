export interface TestResults {
  passes: number;
  failures: number;
  pending: number;
  failed: { title: string; error: string }[];
  /** Every test, in run order (the editor driver prints these: the extension host's console is not ours). */
  tests?: { title: string; state: 'passed' | 'failed' | 'pending'; ms?: number }[];
  /** Figures recorded by tests with recordMetric(). */
  metrics?: Record<string, number | string>;
}
