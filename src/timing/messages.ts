// Messages between the parent and a backend's child process.
import type { Seeds } from '../seeds.js';
import type { BackendRuntime, Row } from '../types.js';
import type { Ceiling } from './ceiling.js';
import type { Cell, Timing } from './suite.js';

export type ParentMessage =
  | { readonly kind: 'probe'; readonly backend: string }
  | {
      readonly kind: 'run';
      readonly backend: string;
      readonly cells: readonly Cell[];
      readonly seeds: Seeds;
      readonly timing: Timing;
      /**
       * The backend's matMul ceiling, measured by its first cell's process; absent there, which measures it after
       * its cells.
       */
      readonly ceiling?: Ceiling;
    }
  /** Paired timing (serve-paired.ts): one cell opened and warmed up, then timed in bursts on the parent's word, so that
   *  several builds' processes can take turns within the same second of machine time. */
  | {
      readonly kind: 'paired';
      readonly backend: string;
      readonly cell: Cell;
      readonly seeds: Seeds;
      readonly timing: Timing;
      readonly ceiling?: Ceiling;
    }
  /** Counted measurement (count/): one cell opened, warmed up, then its call run `iterations` times untimed and judged,
   *  in a process the parent counts under valgrind; the native probe (`probe`) also times its loop and has the oracle
   * judge it.
   */
  | {
      readonly kind: 'count';
      readonly backend: string;
      readonly cell: Cell;
      readonly seeds: Seeds;
      readonly warmup: number;
      readonly iterations: number;
      readonly probe?: boolean;
      /** The region counter's addon: one region of `iterations` calls is counted and dumped
       *  (count/region-counter.ts); without it the whole process is counted. */
      readonly counter?: string;
    };

/** The whole-cell messages: all a browser page serves (paired timing is for Node processes). */
export type CellsMessage = Exclude<ParentMessage, { kind: 'paired' | 'count' }>;

/** What the parent sends a paired session after its first message. */
export type SessionMessage =
  /** In a paired session: time the cell for `ms` (at least one call) and send the samples. */
  | { readonly kind: 'burst'; readonly ms: number }
  /** In a paired session: complete the row from every burst's samples and leave. */
  | { readonly kind: 'finish' };

export type ChildMessage =
  | { readonly type: 'runtime'; readonly runtime: BackendRuntime }
  | { readonly type: 'unavailable'; readonly reason: string; readonly fix: string }
  | { readonly type: 'cell-start'; readonly index: number }
  | { readonly type: 'row'; readonly index: number; readonly row: Row }
  | { readonly type: 'ceiling'; readonly ceiling: Ceiling }
  /**
   * A paired session's cell is open and warm: its first run, and its last warm-up call (the parent sizes the bursts by
   * it).
   */
  | { readonly type: 'ready'; readonly firstRunMs: number; readonly warmMs: number }
  | { readonly type: 'burst'; readonly samples: readonly number[] }
  /** A counted cell's judged row (no timing in it), and with `timeLoop` the loop's wall time per call. */
  | { readonly type: 'counted'; readonly row: Row; readonly loopMsPerCall?: number }
  | { readonly type: 'done' };
