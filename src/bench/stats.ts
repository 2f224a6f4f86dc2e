export interface LatencySummary {
  median: number;
  p99: number;
  mean: number;
  count: number;
}

export function summarize(samples: number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const mean = sorted.reduce((sum, x) => sum + x, 0) / Math.max(1, sorted.length);
  return { median: at(0.5), p99: at(0.99), mean, count: sorted.length };
}

/** Runs `fn` once per input and returns each run's wall time in milliseconds. */
export function time<T>(inputs: readonly T[], fn: (input: T) => unknown): number[] {
  const samples: number[] = [];
  for (const input of inputs) {
    const start = process.hrtime.bigint();
    fn(input);
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return samples;
}

export function ms(value: number): string {
  return value < 10 ? `${value.toFixed(3)} ms` : `${value.toFixed(1)} ms`;
}
