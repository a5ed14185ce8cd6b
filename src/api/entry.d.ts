// Types of `modelbench` as a library (the implementation is src/api/api.ts; tests/api/entry-types.test.ts
// checks the options, the validate and report outcomes, and the exported names against it).

/** One result row, as in results.json; docs/csv-columns.md explains every field. */
export interface ResultRow {
  readonly implementation?: string;
  readonly model: string;
  readonly workload: string;
  readonly size: string;
  readonly backend: string;
  readonly status: 'ok' | 'errored' | 'unavailable' | 'check-failed';
  readonly samples: number;
  readonly medianMs?: number;
  readonly throughput?: number;
  readonly throughputUnit?: string;
  readonly objectiveName?: string;
  readonly objective?: number;
  readonly oracleObjective?: number;
  readonly check?: 'pass' | 'fail' | 'n/a';
  readonly protocolMs?: number;
  readonly implElapsedMs?: number;
  readonly expectedFailure?: string;
  readonly error?: string;
  readonly [field: string]: unknown;
}

export interface CheckOutcome {
  readonly check: string;
  readonly model: string;
  readonly description: string;
  readonly status: 'passed' | 'failed' | 'errored' | 'skipped' | 'xfail' | 'xpass';
  readonly measured?: number;
  readonly expected?: number;
  readonly tolerance?: number;
  readonly detail: string;
  readonly seconds: number;
}

export interface ConformanceRecord {
  readonly implementation: string;
  readonly model: string;
  readonly outcomes: readonly CheckOutcome[];
  readonly conforms: boolean;
  readonly why?: string;
}

export interface ScorecardLine {
  readonly implementation: string;
  readonly model: string;
  readonly conformance?: { readonly passed: number; readonly failed: number; readonly errored: number; readonly xfail: number; readonly total: number; readonly conforms: boolean; readonly why?: string };
  readonly rowChecks: { readonly passed: number; readonly total: number };
  readonly speed: readonly { readonly workload: string; readonly size: string; readonly relativeSpeed: number; readonly ourBackend: string }[];
}

export interface RunOutcome {
  /** 0 every row passed, 1 a row errored or failed its check. */
  readonly code: number;
  readonly verdict: 'VALID' | 'INVALID';
  readonly dir: string;
  readonly files: { readonly dir: string; readonly csv: string; readonly json: string; readonly samples: string; readonly summary: string };
  readonly rows: readonly ResultRow[];
  readonly scorecard?: readonly ScorecardLine[];
  readonly conformance?: readonly ConformanceRecord[];
}

export interface ValidateOutcome {
  /** 0 conforms, 1 does not, 2 could not be started or does not implement the model (`why`). */
  readonly code: number;
  readonly model: string;
  /** The property seed the checks ran with. */
  readonly seed?: number;
  readonly implementation?: { readonly name: string; readonly version: string };
  readonly outcomes: readonly CheckOutcome[];
  readonly conforms: boolean;
  readonly why?: string;
}

export interface CompareOutcome {
  /** 0 no regression, 1 a speed regression or quality failure, 2 unusable input (`text` says why). */
  readonly code: number;
  readonly result?: {
    readonly speed: readonly { readonly key: string; readonly verdict: string; readonly detail: string; readonly [field: string]: unknown }[];
    readonly quality: readonly { readonly key: string; readonly verdict: string; readonly detail: string }[];
    readonly regressions: number;
    readonly qualityFailures: number;
    readonly [field: string]: unknown;
  };
  readonly text: string;
}

export interface ReportOutcome {
  readonly code: number;
  readonly file?: string;
  readonly rows?: number;
  readonly runs?: number;
  readonly error?: string;
}

export interface RunOptions {
  readonly suite?: string;
  readonly models?: readonly string[];
  readonly backends?: readonly string[];
  readonly out?: string;
  readonly seed?: number;
  /** Implementations under test: 'NAME=TARGET' (a module or a command speaking protocol 2 or 3) or a bundled name. */
  readonly impl?: readonly string[];
  readonly noReference?: boolean;
  readonly skipPeers?: boolean;
  readonly conformance?: boolean;
  readonly env?: readonly string[];
  readonly implMemory?: number;
  readonly implTimeout?: number;
  readonly noSandbox?: boolean;
  /** Files or folders the implementations under test may also see, read-only (as --sandbox-bind). */
  readonly sandboxBind?: readonly string[];
  /** What is measured of our rows (as --measure): ['time'] by default, ['instructions'] or both. */
  readonly measure?: readonly ('time' | 'instructions')[];
  readonly log?: (line: string) => void;
}

export interface ValidateOptions {
  readonly model: string;
  readonly impl: string;
  readonly checks?: readonly string[];
  /** Property seed of the VAE and GAN checks (default 1). */
  readonly seed?: number;
  readonly data?: string;
  readonly report?: string;
  readonly timeout?: number;
  readonly memory?: number;
  readonly env?: readonly string[];
  readonly noSandbox?: boolean;
  readonly log?: (line: string) => void;
}

export interface CompareOptions {
  readonly baseline: string;
  readonly candidate: string;
  readonly alpha?: number;
  readonly minEffect?: number;
  readonly override?: readonly string[];
  readonly config?: string;
  readonly format?: 'table' | 'markdown' | 'json' | 'github-benchmark';
  readonly output?: string;
  /** Globs of rows (model/workload/size/backend) the candidate may lack, or whose samples may be missing (as --allow-missing). */
  readonly allowMissing?: readonly string[];
}

export interface ReportOptions {
  readonly runs: readonly string[];
  readonly out: string;
  readonly format?: 'html' | 'csv';
  readonly baselineMachine?: string;
}

/** Runs a suite (as `modelbench run`); a usage error is thrown as UsageError with the CLI's message. */
export declare function run(options?: RunOptions): Promise<RunOutcome>;
/** Runs the conformance checks (as `modelbench validate`). */
export declare function validate(options: ValidateOptions): Promise<ValidateOutcome>;
/** The CI gate on two saved runs (as `modelbench compare`). */
export declare function compare(options: CompareOptions): Promise<CompareOutcome>;
/** Merges runs into one report file (as `modelbench report`). */
export declare function report(options: ReportOptions): Promise<ReportOutcome>;
export declare class UsageError extends Error {}
