// Messages between the parent and a backend's child process.
import type { Seeds } from '../seeds.js';
import type { BackendRuntime, Row } from '../types.js';
import type { Ceiling } from './ceiling.js';
import type { Cell, Timing } from './suite.js';

export type ParentMessage =
  | { readonly kind: 'probe'; readonly backend: string }
  | { readonly kind: 'run'; readonly backend: string; readonly cells: readonly Cell[]; readonly seeds: Seeds; readonly timing: Timing; /** The backend's matMul ceiling, measured by its first cell's process; absent there, which measures it after its cells. */ readonly ceiling?: Ceiling };

export type ChildMessage =
  | { readonly type: 'runtime'; readonly runtime: BackendRuntime }
  | { readonly type: 'unavailable'; readonly reason: string; readonly fix: string }
  | { readonly type: 'cell-start'; readonly index: number }
  | { readonly type: 'row'; readonly index: number; readonly row: Row }
  | { readonly type: 'ceiling'; readonly ceiling: Ceiling }
  | { readonly type: 'done' };
