// compare's baseline from the history store (--baseline-from STORE --ref R): the checkout's history
// resolves the ref, the store gives the runs. Opened read-only: a gate never writes the store.
import type { RunContext } from '../results/context.js';
import { baselineCommits, parseBaselineRef } from '../history/baseline-ref.js';
import { chooseBaseline, type ChosenBaseline } from '../history/baseline.js';
import { openRunsFolder } from '../history/runs-folder.js';
import { openStore } from '../history/store.js';
import { HistoryError, UnusableInput } from '../errors.js';
import fs from 'node:fs';

export interface StoreBaselineValues {
  readonly 'baseline-from'?: string;
  readonly ref?: string;
  readonly repo?: string;
  readonly main?: string;
  readonly 'across-testbeds'?: boolean;
}

/** The baseline runs for these candidate runs; any store, git or ref problem is unusable input (one line, exit 2). */
export async function storedBaseline(
  values: StoreBaselineValues,
  candidate: readonly RunContext[],
): Promise<ChosenBaseline> {
  const file = values['baseline-from']!;
  const main = values.main ?? 'main';
  try {
    const ref = parseBaselineRef(values.ref ?? 'merge-base', main);
    const commits = baselineCommits(values.repo ?? '.', main, ref, candidate[0]?.gitSha);
    // A folder of run folders answers like a store (history query --runs): CI may keep either.
    const isFolder = fs.statSync(file, { throwIfNoEntry: false })?.isDirectory() ?? false;
    const store = isFolder ? await openRunsFolder(file) : await openStore(file, { write: false });
    try {
      return await chooseBaseline(store.connection, {
        store: file,
        candidate,
        commits,
        acrossTestbeds: Boolean(values['across-testbeds']),
      });
    } finally {
      store.close();
    }
  } catch (e) {
    if (e instanceof HistoryError) throw new UnusableInput(e.message);
    throw e;
  }
}
