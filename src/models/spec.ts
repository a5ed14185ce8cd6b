// What a model is to the harness: the one shape every model folder's index exports and
// models/registry.ts lists. Nothing outside a model's folder names a model.
import type { ImplSession, ImplWorkload } from '../protocol/workload-types.js';
import type { Check } from './check.js';
import type { ProtocolOption } from './protocol-option.js';
import type { ReferenceHandler } from './reference-request.js';
import type { Seeds } from '../seeds.js';
import type { Capabilities, Dataset, FitProgress, FitSummary, OracleReport, Tf, WorkloadSpec } from '../types.js';

export interface ModelSpec {
  readonly name: string;
  readonly title: string;
  readonly capabilities: Capabilities;
  readonly workloads: readonly WorkloadSpec[];
  /** Our workloads an implementation under test can be timed on (`run --impl`), through the protocol. */
  readonly implWorkloads: readonly ImplWorkload[];
  /** Fits the reference implementation to a user's dataset (the `fit` command). */
  fit(
    tf: Tf,
    data: Dataset,
    options: Readonly<Record<string, string>>,
    seeds: Seeds,
    progress?: FitProgress,
  ): Promise<FitSummary>;
  /** The float64 oracle's verdict on fitted parameters. */
  judge(data: Dataset, options: Readonly<Record<string, string>>, fit: FitSummary): OracleReport;
  /** Names of the options `fit` accepts, with their help text. */
  readonly fitOptions: Readonly<Record<string, string>>;
  /** Datasets `fit --data NAME` loads by name (besides FILE.csv), with a one-line description. */
  readonly namedData?: Readonly<Record<string, { readonly description: string; load(seeds: Seeds): Dataset }>>;
  /**
   * Measures of a fit's quality that vary with the seed (`fit --seeds N` reports their distribution), and which way is
   * better.
   */
  readonly qualityMetrics?: Readonly<Record<string, 'higher' | 'lower'>>;
  /**
   * Trains an implementation under test as `fit` trains ours, through the protocol (`fit --impl`): its quality
   * measures.
   */
  peerFit?(
    session: ImplSession,
    data: Dataset,
    options: Readonly<Record<string, string>>,
    seeds: Seeds,
  ): Promise<Record<string, number>>;
  /** Its conformance checks (validate, run --conformance, modelbench/vitest); a model without any is not validated. */
  readonly checks?: readonly Check[];
  /** Our reference implementation's answers to the protocol, op by op (served by src/validate/reference-impl.ts). */
  readonly reference?: ReferenceHandler;
  /** The options a caller may ask of an implementation of this model, each exercised by a check. */
  readonly protocolOptions?: readonly ProtocolOption[];
  /**
   * For a model with a certified optimum (capabilities.convexObjective): a check of the optimum on the user's data
   * (validate --data).
   */
  userDataCheck?(label: string, load: () => Dataset): Check;
}
