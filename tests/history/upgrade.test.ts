// A store written by schema version 1 (tests/history/fixtures/store-v1.duckdb, made by modelbench at
// 64d9265 from the folders beside it, one of which was then deleted) read as it is, then upgraded in
// place by the first open for writing: counted columns retyped, row_details from the folders still there.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { readStoredRuns } from '../../src/history/stored-runs.js';
import { openStore } from '../../src/history/store.js';
import { loadRun } from '../../src/results/load-runs.js';
import { tmpDir } from '../helpers/runs.js';

const FIXTURES = 'tests/history/fixtures';
const dir = tmpDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const store = path.join(dir, 'store-v1.duckdb');
fs.copyFileSync(path.join(FIXTURES, 'store-v1.duckdb'), store);

async function scalar(file: string, sql: string): Promise<unknown> {
  const s = await openStore(file, { write: false });
  try {
    return (await s.connection.runAndReadAll(sql)).getRowsJS()[0]?.[0];
  } finally {
    s.close();
  }
}

async function storedRows(id: string) {
  const s = await openStore(store, { write: false });
  try {
    return (await readStoredRuns(s.connection, [id], store))[0].rows.map(({ rawSamples: _, ...r }) => r);
  } finally {
    s.close();
  }
}
const folderRows = (id: string) => loadRun(path.join(FIXTURES, 'v1-runs', id)).rows.map(({ rawSamples: _, ...r }) => r);

describe('a schema version 1 store', () => {
  it('is read as it is when opened to read: counted columns as numbers, no results.json-only fields', async () => {
    assert.equal(await scalar(store, 'SELECT max(version) FROM modelbench_schema'), 1);
    const rows = await storedRows('v1-counted');
    assert.equal(rows[0].estCyclesPerCall, 1_000_000);
    assert.equal(rows[0].countedCalls, 64);
    assert.equal(rows[0].cycleSamples, undefined);
  });

  it('is upgraded in place by the first open for writing, saying which runs have no folder any more', async () => {
    const said: string[] = [];
    const s = await openStore(store, { write: true, onUpgrade: (line) => said.push(line) });
    assert.equal(s.version, 2);
    s.close();
    assert.equal(said.length, 1);
    assert.match(said[0], /store-v1\.duckdb: upgraded from history schema version 1 to 2/);
    assert.match(said[0], /1 of 3 run\(s\) are no longer in the folder they were added from/);
    assert.equal(await scalar(store, 'SELECT max(version) FROM modelbench_schema'), 2);
    assert.equal(await scalar(store, 'SELECT DISTINCT typeof(est_cycles_per_call) FROM rows'), 'DOUBLE');
    assert.equal(await scalar(store, 'SELECT DISTINCT typeof(counted_calls) FROM rows'), 'INTEGER');
    assert.equal(await scalar(store, `SELECT count(*) FROM row_details WHERE run_id = 'v1-gone'`), 0n);
  });

  it('after the upgrade, its runs read back as their folders have them, results.json-only fields included', async () => {
    for (const id of ['v1-counted', 'v1-declared']) assert.deepEqual(await storedRows(id), folderRows(id));
    assert.equal((await storedRows('v1-declared'))[0].expectedFailure, 'declared: float32 only');
    assert.deepEqual((await storedRows('v1-counted'))[0].cycleSamples, [999_700, 1_000_000, 1_000_200]);
  });

  it('is upgraded once: a second open for writing says nothing', async () => {
    const said: string[] = [];
    (await openStore(store, { write: true, onUpgrade: (line) => said.push(line) })).close();
    assert.deepEqual(said, []);
  });
});
