/**
 * A tiny Prometheus registry: counters, gauges and histograms with labels, rendered in the text
 * exposition format (version 0.0.4) that every Prometheus-compatible scraper reads.
 *
 * Why not prom-client: the bot needs a handful of series and no default process collectors,
 * summaries, push gateway or cluster aggregation; this is about 150 lines with no dependency,
 * and its output is checked by tests against the format's rules (HELP/TYPE lines, escaped label
 * values, cumulative `le` buckets with `+Inf`, `_sum` and `_count`).
 */

export type Labels = Record<string, string | number>;

/** The content type of the text exposition format. */
export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function escapeHelp(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function formatNumber(value: number): string {
  if (value === Number.POSITIVE_INFINITY) return "+Inf";
  if (value === Number.NEGATIVE_INFINITY) return "-Inf";
  if (Number.isNaN(value)) return "NaN";
  return String(value);
}

interface Series<T> {
  labels: Labels;
  value: T;
}

abstract class Metric<T> {
  protected readonly series = new Map<string, Series<T>>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
    readonly type: "counter" | "gauge" | "histogram",
  ) {
    if (!NAME.test(name)) throw new Error(`invalid metric name ${name}`);
    for (const label of labelNames) {
      if (!LABEL.test(label) || label === "le") throw new Error(`invalid label name ${label}`);
    }
  }

  protected abstract initial(): T;

  /** The series for these labels (created on first use); labels must be exactly labelNames. */
  protected get(labels: Labels = {}): Series<T> {
    const keys = Object.keys(labels);
    if (
      keys.length !== this.labelNames.length ||
      !this.labelNames.every((name) => name in labels)
    ) {
      throw new Error(`${this.name} takes the labels [${this.labelNames.join(", ")}]`);
    }
    const key = this.labelNames.map((name) => String(labels[name])).join("\u0000");
    let series = this.series.get(key);
    if (!series) {
      const copy: Labels = {};
      for (const name of this.labelNames) copy[name] = String(labels[name]);
      series = { labels: copy, value: this.initial() };
      this.series.set(key, series);
    }
    return series;
  }

  protected static labelText(labels: Labels, extra?: [string, string]): string {
    const pairs = Object.entries(labels).map(
      ([name, value]) => `${name}="${escapeLabelValue(String(value))}"`,
    );
    if (extra) pairs.push(`${extra[0]}="${escapeLabelValue(extra[1])}"`);
    return pairs.length > 0 ? `{${pairs.join(",")}}` : "";
  }

  protected abstract samples(): string[];

  render(): string {
    return [
      `# HELP ${this.name} ${escapeHelp(this.help)}`,
      `# TYPE ${this.name} ${this.type}`,
      ...this.samples(),
    ].join("\n");
  }
}

/** A value that only goes up (restarts at 0 with the process). */
export class Counter extends Metric<number> {
  protected initial(): number {
    return 0;
  }

  inc(labels?: Labels, by = 1): void {
    if (!(by >= 0)) throw new Error(`${this.name}: a counter only goes up`);
    this.get(labels).value += by;
  }

  /** The current value (tests). */
  value(labels?: Labels): number {
    return this.get(labels).value;
  }

  protected samples(): string[] {
    return [...this.series.values()].map(
      (s) => `${this.name}${Metric.labelText(s.labels)} ${formatNumber(s.value)}`,
    );
  }
}

/** A value that goes up and down, or is read when scraped (`collect`). */
export class Gauge extends Metric<number> {
  constructor(
    name: string,
    help: string,
    labelNames: readonly string[] = [],
    private readonly collect?: () => number,
  ) {
    super(name, help, labelNames, "gauge");
    if (collect && labelNames.length > 0) throw new Error(`${name}: collect takes no labels`);
  }

  protected initial(): number {
    return 0;
  }

  set(value: number, labels?: Labels): void {
    this.get(labels).value = value;
  }

  inc(labels?: Labels, by = 1): void {
    this.get(labels).value += by;
  }

  dec(labels?: Labels, by = 1): void {
    this.get(labels).value -= by;
  }

  value(labels?: Labels): number {
    return this.collect ? this.collect() : this.get(labels).value;
  }

  protected samples(): string[] {
    if (this.collect) return [`${this.name} ${formatNumber(this.collect())}`];
    return [...this.series.values()].map(
      (s) => `${this.name}${Metric.labelText(s.labels)} ${formatNumber(s.value)}`,
    );
  }
}

interface HistogramValue {
  /** Per bucket (not cumulative; summed when rendered). */
  counts: number[];
  sum: number;
  count: number;
}

/** Observations counted in buckets (upper bounds, e.g. seconds), with their sum and count. */
export class Histogram extends Metric<HistogramValue> {
  readonly buckets: readonly number[];

  constructor(name: string, help: string, buckets: readonly number[], labelNames: string[] = []) {
    super(name, help, labelNames, "histogram");
    const sorted = [...new Set(buckets)].filter(Number.isFinite).sort((a, b) => a - b);
    if (sorted.length === 0) throw new Error(`${name}: at least one bucket`);
    this.buckets = sorted;
  }

  protected initial(): HistogramValue {
    return { counts: this.buckets.map(() => 0), sum: 0, count: 0 };
  }

  observe(value: number, labels?: Labels): void {
    const series = this.get(labels).value;
    const index = this.buckets.findIndex((bound) => value <= bound);
    if (index >= 0) series.counts[index] = (series.counts[index] ?? 0) + 1;
    series.sum += value;
    series.count += 1;
  }

  /** Count and sum of the observations (tests). */
  snapshot(labels?: Labels): { count: number; sum: number } {
    const { count, sum } = this.get(labels).value;
    return { count, sum };
  }

  protected samples(): string[] {
    const lines: string[] = [];
    for (const { labels, value } of this.series.values()) {
      let cumulative = 0;
      this.buckets.forEach((bound, i) => {
        cumulative += value.counts[i] ?? 0;
        lines.push(
          `${this.name}_bucket${Metric.labelText(labels, ["le", formatNumber(bound)])} ${cumulative}`,
        );
      });
      lines.push(`${this.name}_bucket${Metric.labelText(labels, ["le", "+Inf"])} ${value.count}`);
      lines.push(`${this.name}_sum${Metric.labelText(labels)} ${formatNumber(value.sum)}`);
      lines.push(`${this.name}_count${Metric.labelText(labels)} ${value.count}`);
    }
    return lines;
  }
}

/** A set of metrics rendered together. Names are unique within a registry. */
export class Registry {
  private readonly metrics = new Map<string, Metric<unknown>>();

  private add<M extends Metric<unknown>>(metric: M): M {
    if (this.metrics.has(metric.name)) throw new Error(`metric ${metric.name} exists already`);
    this.metrics.set(metric.name, metric);
    return metric;
  }

  counter(name: string, help: string, labelNames: string[] = []): Counter {
    return this.add(new Counter(name, help, labelNames, "counter"));
  }

  gauge(name: string, help: string, labelNames: string[] = [], collect?: () => number): Gauge {
    return this.add(new Gauge(name, help, labelNames, collect));
  }

  histogram(name: string, help: string, buckets: readonly number[], labelNames: string[] = []) {
    return this.add(new Histogram(name, help, buckets, labelNames));
  }

  /** Every metric in the text exposition format, ending with a newline. */
  render(): string {
    return `${[...this.metrics.values()].map((metric) => metric.render()).join("\n")}\n`;
  }
}
