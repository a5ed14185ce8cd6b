// The shared vocabulary of modelbench: models, workloads, backends, rows and the run context.
import type * as tfNamespace from '@tensorflow/tfjs';
import type { Seeds } from './seeds.js';

export type Tf = typeof tfNamespace;

/** A labelled table of numbers: row-major float64 features and labels in {0, 1}. */
export interface Dataset {
  readonly name: string;
  readonly rows: number;
  readonly cols: number;
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly featureNames: readonly string[];
  /** A test split that came with the data (e.g. Fashion-MNIST's t10k), for models that report held-out numbers. */
  readonly heldOut?: Dataset;
  /** Said to the user with the results, e.g. that a committed subset stands in for a missing full set. */
  readonly note?: string;
  /** Known numbers about the data, reported beside a fit (e.g. the exact mean log p(x) of the test split). */
  readonly reference?: Readonly<Record<string, number>>;
  /** The modes of a synthetic mixture the data was drawn from, for mode-coverage metrics. */
  readonly modes?: { readonly centres: readonly (readonly number[])[]; readonly sd: number };
}

/** What a model can be checked and timed on; the checks and workloads are chosen from these, never from its name. */
export interface Capabilities {
  /** Supervised binary classifier on a Dataset. */
  readonly binaryClassifier: boolean;
  /** Has a convex objective with a float64 oracle for value and gradient. */
  readonly convexObjective: boolean;
  /** Learns p(x) of unlabelled data; `fit` reads a feature-only CSV and ignores labels. */
  readonly generative: boolean;
}

/** The float64 numbers a fitted model is judged by, computed by the oracle, not by the model. */
export interface OracleReport {
  readonly objectiveName: string;
  readonly objective: number;
  readonly gradientNorm?: number;
  readonly extra: Readonly<Record<string, number>>;
}

export interface FitSummary {
  readonly parameters: Readonly<Record<string, number | string | readonly number[]>>;
  /** The objective as the model computed it on its backend (float32 on most). */
  readonly modelObjective: number;
  /** Which objective that is (J, P, D...), as the oracle names it. */
  readonly modelObjectiveName: string;
  readonly iterations: number;
  readonly converged: boolean;
  readonly message: string;
  /** Numbers over training (one record per epoch or evaluation), shown as a table and in --json. */
  readonly trace?: readonly Readonly<Record<string, number>>[];
  /** What `judge` needs beyond the printed parameters (e.g. a float64 copy of a network); never printed. */
  readonly state?: unknown;
}

/** Called as training advances; the fit command draws it as a progress bar. */
export type FitProgress = (done: number, total: number, label: string) => void;

/** Size parameters of one benchmark cell, e.g. { rows: 1000, cols: 10 }. */
export type SizeParams = Readonly<Record<string, number>>;

/** One prepared benchmark cell: `run` is what gets timed, `check` compares against the oracle. */
export interface PreparedWorkload {
  run(): Promise<void>;
  /** Units of work per run, for throughput (e.g. rows fitted or predicted). */
  readonly workPerRun: number;
  readonly workUnit: string;
  /**
   * Floating-point operations of one run's dense products (forward and backward): the row's GFLOP/s and its share of
   * the backend's matMul ceiling.
   */
  readonly flopsPerRun?: number;
  /** What keeps the workload from its backend's matMul speed, shown when it runs below half of it. */
  readonly heldBackBy?: string;
  check(): Promise<ObjectiveCheck>;
  dispose(): void;
}

export interface ObjectiveCheck {
  readonly objectiveName: string;
  /**
   * The value is the objective at a solution of the cell's own data (a fit's optimum): it depends on the
   * data and the problem only, so two implementations' values compare. Absent: it is computed at the
   * implementation's own parameters (its seeded weights, its own fit, its own initialisation).
   */
  readonly atOptimum?: true;
  readonly modelValue: number;
  readonly oracleValue: number;
  /** The error the check judged, when it is not |model - oracle| / |oracle| (e.g. a worst case over many values). */
  readonly relError?: number;
  readonly tolerance: number;
  readonly passed: boolean;
  readonly iterations?: number;
  readonly converged?: boolean;
  readonly note?: string;
}

export interface WorkloadSpec {
  readonly name: string;
  readonly description: string;
  prepare(tf: Tf, size: SizeParams, seeds: Seeds, backend: BackendRuntime): Promise<PreparedWorkload>;
}

/** What a backend reports about itself once it is active in a process. */
export interface BackendRuntime {
  readonly name: string;
  readonly version: string;
  readonly device: string;
  /** 'cpu' for CPU execution (llvmpipe included), 'gpu' for a real accelerator. */
  readonly deviceKind: 'cpu' | 'gpu';
  /** Relative tolerance for comparing this backend's float32/float16 results with a float64 oracle. */
  readonly relativeTolerance: number;
  readonly details: Readonly<Record<string, string>>;
}

export interface BackendSpec {
  readonly name: string;
  readonly description: string;
  /** Imports and activates the backend in this process; throws BackendUnavailable with the reason and fix. */
  activate(): Promise<{ tf: Tf; runtime: BackendRuntime }>;
  /**
   * For a GPU backend: why it could only run on a software renderer here, found without starting it
   * (starting Dawn on llvmpipe costs seconds and can stall); undefined when a GPU may be present.
   */
  softwareOnlyHere?(): string | undefined;
  /**
   * Where its cells run when not in a Node worker: 'browser', a headless Chromium page per cell (src/browser/host.ts).
   */
  readonly host?: 'browser';
  /** Why a run that names no backends leaves it out (it is run when named, or with `--backends all`). */
  readonly optIn?: string;
  /**
   * Whether its work runs on the CPU in the Node process itself, on one thread, so that valgrind
   * counts all of it (`run --measure instructions`); absent: why it cannot be counted.
   */
  readonly counted?: true;
}

export type RowStatus = 'ok' | 'errored' | 'unavailable' | 'check-failed';

/** One result row: a (model, workload, size, backend) cell. Columns are ordered in report/columns.ts. */
export interface Row {
  /** Whose code: 'modelbench' (ours, on `backend`) or the name of an implementation under test. */
  implementation?: string;
  model: string;
  workload: string;
  size: string;
  backend: string;
  backendVersion: string;
  device: string;
  deviceKind: string;
  status: RowStatus;
  samples: number;
  meanMs?: number;
  medianMs?: number;
  p75Ms?: number;
  p99Ms?: number;
  minMs?: number;
  maxMs?: number;
  sdMs?: number;
  rmePct?: number;
  throughput?: number;
  throughputUnit?: string;
  firstRunMs?: number;
  objectiveName?: string;
  /**
   * The objective is at an optimum of the cell's data (comparable across implementations); see
   * ObjectiveCheck.atOptimum.
   */
  objectiveAtOptimum?: true;
  objective?: number;
  oracleObjective?: number;
  relError?: number;
  tolerance?: number;
  check?: 'pass' | 'fail' | 'n/a';
  iterations?: number;
  converged?: boolean;
  tensorsLeaked?: number;
  /** Achieved GFLOP/s of the dense products (the workload's flopsPerRun over the median time). */
  gflops?: number;
  /** The backend's float32 matMul ceiling measured in the same run, GFLOP/s. */
  ceilingGflops?: number;
  /** gflops / ceilingGflops. */
  ceilingFraction?: number;
  /** Why the row runs below half of its backend's ceiling (the workload's own account). */
  efficiencyNote?: string;
  /** Kernels one run executes (tfjs's profiler, less Reshape/Identity, which move no data), measured. */
  kernelsPerRun?: number;
  /** Reads of tensor data back to the host in one run, measured. */
  hostSyncsPerRun?: number;
  /** Implementations under test: the median round trip of a `ping` (the protocol's own cost), in ms. */
  protocolMs?: number;
  /** Implementations under test: the median time it reported for its own work (`elapsed_ms`), in ms. */
  implElapsedMs?: number;
  /** Implementations under test (protocol 3): how long fetching the judged result took after timing, in ms. */
  fetchMs?: number;
  /** Counted measurement (run --measure instructions): per call, the median over the counted processes. */
  instructionsPerCall?: number;
  l1MissesPerCall?: number;
  llMissesPerCall?: number;
  /** Estimated cycles per call from the counts (src/timing/count/cost-model.ts), what the counted gate judges. */
  estCyclesPerCall?: number;
  /** (max - min) / median of the estimated cycles per call over the counted processes, in percent. */
  countSpreadPct?: number;
  /** The calls in the counted span (hi - lo) and the processes that counted it. */
  countedCalls?: number;
  countedProcesses?: number;
  /**
   * Each counted process's estimated cycles and instructions per call (results.json only): the counted gate's samples.
   */
  cycleSamples?: number[];
  instructionSamples?: number[];
  /** Why a row asked to be counted was not (a GPU backend, an implementation under test, valgrind missing). */
  countNote?: string;
  seedData: number;
  seedInit: number;
  seedSampling: number;
  error?: string;
  /** An implementation under test declared this row's judgement an expected failure (its hello), with this reason. */
  expectedFailure?: string;
  /** Raw timing samples in ms; written to samples.csv, not to results.csv. */
  rawSamples?: number[];
  /** Paired timing (an interleaved run): the median of each burst in time order, in ms; burst i of every build
   *  of the round was timed back to back, so compare pairs them (results.json only). */
  burstMedians?: number[];
}
