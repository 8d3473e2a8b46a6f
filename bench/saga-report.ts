/** What one round of the saga benchmark measured, and the medians, ranges and ratios over the rounds. */
import { median } from './embedded-stack';

export interface Phase {
  perSecond: number;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  /** Share of one core over the phase. */
  cpuPercent: { worker: number; server: number; bench: number };
  /**
   * CPU milliseconds per order: the worker's process by thread (bench/embedded-stack.ts threadCpuSeconds), and the
   * dev server. Where the real saga's extra cost over a bare one lives.
   */
  cpuMsPerOrder: { workerMain: number; workerNode: number; workerCore: number; server: number };
  peakRssMiB: { worker: number; server: number };
}

export interface Round {
  /** Orders placed until each awaited payment. */
  place: Phase;
  /** The same orders paid until each was COMPLETED. */
  pay: Phase;
  /** Orders over both phases' time. */
  endToEndPerSecond: number;
}

export interface HistoryCount {
  /** Events of one order's workflow and of its child workflows, all told. */
  total: number;
  workflow: number;
  children: number;
  byType: Record<string, number>;
}

export interface VariantRun {
  key: string;
  label: string;
  rounds: Round[];
  /** Orders of the measured rounds found COMPLETED and paid once. */
  ordersChecked: number;
  history: HistoryCount;
}

interface Stat {
  median: number;
  min: number;
  max: number;
}

const METRICS = {
  placePerSecond: (round) => round.place.perSecond,
  placeP50Ms: (round) => round.place.p50Ms,
  placeP99Ms: (round) => round.place.p99Ms,
  payPerSecond: (round) => round.pay.perSecond,
  payP50Ms: (round) => round.pay.p50Ms,
  payP99Ms: (round) => round.pay.p99Ms,
  endToEndPerSecond: (round) => round.endToEndPerSecond,
  workerCpuPlace: (round) => round.place.cpuPercent.worker,
  workerCpuPay: (round) => round.pay.cpuPercent.worker,
  serverCpuPlace: (round) => round.place.cpuPercent.server,
  serverCpuPay: (round) => round.pay.cpuPercent.server,
  benchCpuPlace: (round) => round.place.cpuPercent.bench,
  benchCpuPay: (round) => round.pay.cpuPercent.bench,
  mainMsPlace: (round) => round.place.cpuMsPerOrder.workerMain,
  mainMsPay: (round) => round.pay.cpuMsPerOrder.workerMain,
  nodeMsPlace: (round) => round.place.cpuMsPerOrder.workerNode,
  nodeMsPay: (round) => round.pay.cpuMsPerOrder.workerNode,
  coreMsPlace: (round) => round.place.cpuMsPerOrder.workerCore,
  coreMsPay: (round) => round.pay.cpuMsPerOrder.workerCore,
  serverMsPlace: (round) => round.place.cpuMsPerOrder.server,
  serverMsPay: (round) => round.pay.cpuMsPerOrder.server,
  workerPeakRssMiB: (round) => Math.max(round.place.peakRssMiB.worker, round.pay.peakRssMiB.worker),
  serverPeakRssMiB: (round) => Math.max(round.place.peakRssMiB.server, round.pay.peakRssMiB.server),
} satisfies Record<string, (round: Round) => number>;
type Metric = keyof typeof METRICS;

const THROUGHPUTS = ['placePerSecond', 'payPerSecond', 'endToEndPerSecond'] as const;

const round2 = (value: number) => Math.round(value * 100) / 100;

function stat(values: number[]): Stat {
  return {
    median: round2(median(values)),
    min: round2(Math.min(...values)),
    max: round2(Math.max(...values)),
  };
}

function stats(run: VariantRun): Record<Metric, Stat> {
  return Object.fromEntries(
    Object.entries(METRICS).map(([name, read]) => [name, stat(run.rounds.map(read))]),
  ) as Record<Metric, Stat>;
}

/** The real saga over a bare variant: the ratio of the medians, and the range of round-by-round ratios. */
function ratios(real: VariantRun, bare: VariantRun) {
  return Object.fromEntries(
    THROUGHPUTS.map((metric) => {
      const read = METRICS[metric];
      const byRound = real.rounds.map((round, index) => {
        const other = bare.rounds[index];
        return other ? read(round) / read(other) : Number.NaN;
      });
      const ofMedians = median(real.rounds.map(read)) / median(bare.rounds.map(read));
      return [metric, { ofMedians: round2(ofMedians), byRound: stat(byRound) }];
    }),
  );
}

export function summarize(real: VariantRun, bares: VariantRun[], settings: Record<string, unknown>) {
  return {
    ok: true,
    ...settings,
    variants: Object.fromEntries(
      [real, ...bares].map((run) => [
        run.key,
        {
          label: run.label,
          ordersChecked: run.ordersChecked,
          historyEvents: run.history,
          ...stats(run),
          rounds: run.rounds,
        },
      ]),
    ),
    ratios: Object.fromEntries(bares.map((bare) => [`${real.key}/${bare.key}`, ratios(real, bare)])),
  };
}

const fixed = (value: number, digits: number) => value.toFixed(digits);

function cell(value: Stat, digits = 1): string {
  return `${fixed(value.median, digits)} (${fixed(value.min, digits)}-${fixed(value.max, digits)})`;
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  return rows.map((row) => row.map((text, column) => text.padEnd(widths[column] ?? 0)).join('  ')).join('\n');
}

/** The table a person reads: medians with their ranges over the rounds, then the ratios. */
export function printReport(summary: ReturnType<typeof summarize>, heading: string): void {
  const runs = Object.entries(summary.variants);
  console.log(heading);
  console.log();
  const variant = (key: string, value: (typeof summary.variants)[string]) => `${key} ${value.label}`;
  console.log(
    table([
      [
        'orders/s, ms: median (min-max)',
        'place/s',
        'place p50 / p99 ms',
        'pay/s',
        'pay p50 / p99 ms',
        'end-to-end/s',
      ],
      ...runs.map(([key, run]) => [
        variant(key, run),
        cell(run.placePerSecond),
        `${cell(run.placeP50Ms, 0)} / ${cell(run.placeP99Ms, 0)}`,
        cell(run.payPerSecond),
        `${cell(run.payP50Ms, 0)} / ${cell(run.payP99Ms, 0)}`,
        cell(run.endToEndPerSecond),
      ]),
    ]),
  );
  console.log();
  console.log(
    table([
      [
        'CPU % of a core (place / pay), RSS',
        'worker',
        'dev server',
        'bench (client)',
        'peak RSS MiB worker / server',
      ],
      ...runs.map(([key, run]) => [
        variant(key, run),
        `${cell(run.workerCpuPlace, 0)} / ${cell(run.workerCpuPay, 0)}`,
        `${cell(run.serverCpuPlace, 0)} / ${cell(run.serverCpuPay, 0)}`,
        `${cell(run.benchCpuPlace, 0)} / ${cell(run.benchCpuPay, 0)}`,
        `${cell(run.workerPeakRssMiB, 0)} / ${cell(run.serverPeakRssMiB, 0)}`,
      ]),
    ]),
  );
  console.log();
  console.log(
    table([
      [
        'CPU ms per order (place / pay)',
        'worker main thread',
        "worker's other node threads",
        "worker's core threads",
        'dev server',
      ],
      ...runs.map(([key, run]) => [
        variant(key, run),
        `${cell(run.mainMsPlace)} / ${cell(run.mainMsPay)}`,
        `${cell(run.nodeMsPlace)} / ${cell(run.nodeMsPay)}`,
        `${cell(run.coreMsPlace)} / ${cell(run.coreMsPay)}`,
        `${cell(run.serverMsPlace)} / ${cell(run.serverMsPay)}`,
      ]),
    ]),
  );
  console.log();
  for (const [key, run] of runs) {
    const { total, workflow, children } = run.historyEvents;
    console.log(
      `history events per order, ${key}: ${total} (workflow ${workflow}, child workflows ${children})`,
    );
  }
  console.log();
  for (const [pair, ratio] of Object.entries(summary.ratios)) {
    const parts = THROUGHPUTS.map((metric) => {
      const { ofMedians, byRound } = ratio[metric] as { ofMedians: number; byRound: Stat };
      return `${metric.replace('PerSecond', '')} ${fixed(ofMedians, 2)}x (rounds ${fixed(byRound.min, 2)}-${fixed(byRound.max, 2)})`;
    });
    console.log(`${pair}: ${parts.join(', ')}`);
  }
}
