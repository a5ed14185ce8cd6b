import type { PeerCell, Timing } from '../bench/suite.js';
import type { Seeds } from '../seeds.js';

export type PeerResult =
  | { readonly unavailable: string; readonly fix: string }
  | {
      readonly version: string;
      readonly device: string;
      readonly samplesMs: readonly number[];
      readonly workPerRun: number;
      readonly workUnit: string;
      readonly objectiveName: string;
      /** The peer's parameters judged by our float64 oracle. */
      readonly objective: number;
      readonly iterations: number;
    };

/** Another implementation timed beside ours on the same data (sklearn, PyTorch, libsvm...). */
export interface PeerSpec {
  readonly name: string;
  readonly models: readonly string[];
  run(cell: PeerCell, seeds: Seeds, timing: Timing): Promise<PeerResult>;
}
