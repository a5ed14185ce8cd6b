// The history store on a few synthetic runs: ingest is idempotent and all-or-nothing, the store and
// the folder's views answer alike, bad input is one line, and a second writer waits for the first.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, it } from 'vitest';
import { exportParquet } from '../../src/history/export.js';
import { addRuns } from '../../src/history/ingest.js';
import { renderQuery, runQuery } from '../../src/history/query.js';
import { openRunsFolder } from '../../src/history/runs-folder.js';
import { openStore, type Store } from '../../src/history/store.js';
import { HistoryError } from '../../src/errors.js';
import { modelbench } from '../helpers/cli.js';
import { REPO } from '../helpers/data.js';
import { tmpDir } from '../helpers/runs.js';
import { writeSyntheticRun, type SyntheticRun } from './synthetic-runs.js';

const made: string[] = [];
afterAll(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function runs(parent: string, count: number, extra: Partial<SyntheticRun> = {}): string[] {
  return Array.from({ length: count }, (_, i) =>
    writeSyntheticRun(parent, {
      runId: `run-${extra.host ?? 'a'}-${i}`, gitSha: `${i}`.padStart(40, 'c'), medians: [1 + i, 20, 300], samplesPerRow: 5 + i, seed: i, ...extra,
    }, i),
  );
}

function fixture(): { dir: string; runsDir: string; store: string } {
  const dir = tmpDir();
  made.push(dir);
  const runsDir = path.join(dir, 'runs');
  runs(runsDir, 3);
  runs(runsDir, 2, { host: 'bench-2', extras: { expectedFailure: 'declared: float32 only', burstMedians: [1, 2] } });
  return { dir, runsDir, store: path.join(dir, 'history.duckdb') };
}

async function rowsOf(store: Store, sql: string): Promise<unknown[][]> {
  return (await runQuery(store.connection, sql)).values.map((r) => [...r]);
}

async function withStore<T>(file: string, write: boolean, work: (s: Store) => Promise<T>): Promise<T> {
  const s = await openStore(file, { write, waitSeconds: 5 });
  try {
    return await work(s);
  } finally {
    s.close();
  }
}

const rejectsWith = async (work: Promise<unknown>, pattern: RegExp) => {
  await assert.rejects(work, (e: unknown) => e instanceof HistoryError && pattern.test(e.message) && !e.message.includes('\n'));
};

describe('history store: adding and reading runs', () => {
  it('adds runs once by run id, and the store answers as the folder of runs does', async () => {
    const f = fixture();
    const first = await withStore(f.store, true, (s) => addRuns(s, [f.runsDir]));
    assert.equal(first.added.length, 5);
    assert.deepEqual(first.added.map((r) => r.rows), [3, 3, 3, 3, 3]);
    const again = await withStore(f.store, true, (s) => addRuns(s, [f.runsDir, path.join(f.runsDir, 'run-a-0')]));
    assert.equal(again.added.length, 0);
    assert.equal(again.already.length, 5);
    const queries = [
      'SELECT * EXCLUDE (source) FROM runs ORDER BY run_id',
      'SELECT * FROM rows ORDER BY run_id, size',
      'SELECT * FROM samples ORDER BY run_id, size, sample_index',
      "SELECT run_id, context->>'$.host' AS host, context->>'$.complete' AS complete FROM context ORDER BY run_id",
      'SELECT * FROM row_details ORDER BY run_id, size',
    ];
    const folder = await openRunsFolder(f.runsDir);
    try {
      await withStore(f.store, false, async (s) => {
        for (const q of queries) assert.deepEqual(await rowsOf(s, q), await rowsOf(folder, q), q);
      });
      const [[n, machines]] = await rowsOf(folder, 'SELECT count(*), count(DISTINCT machine) FROM runs');
      assert.deepEqual([n, machines], [5, 2]);
      const [[samples]] = await rowsOf(folder, "SELECT count(*) FROM samples WHERE run_id = 'run-a-2'");
      assert.equal(samples, 3 * 7);
    } finally {
      folder.close();
    }
  });

  it('refuses an incomplete run, or a folder whose results.csv disagrees with results.json, writing nothing', async () => {
    const f = fixture();
    const one = (runId: string, extra: Partial<SyntheticRun> = {}) =>
      writeSyntheticRun(path.join(f.dir, runId), { runId, gitSha: 'f'.repeat(40), medians: [5, 6], samplesPerRow: 3, seed: 9, ...extra }, 0);
    const partial = one('run-partial', { complete: false });
    await withStore(f.store, true, async (s) => {
      await rejectsWith(addRuns(s, [f.runsDir, partial]), /run-partial is incomplete .*"complete": false.*--skip-incomplete/);
      assert.deepEqual(await rowsOf(s, 'SELECT count(*) FROM runs'), [[0]]);
      const skipped = await addRuns(s, [f.runsDir, partial], { skipIncomplete: true });
      assert.equal(skipped.added.length, 5);
      assert.match(skipped.skipped[0], /run-partial is incomplete/);
    });
    const edited = one('run-edited');
    const csv = path.join(edited, 'results.csv');
    fs.writeFileSync(csv, fs.readFileSync(csv, 'utf8').replace(',ok,', ',errored,'));
    await withStore(f.store, true, async (s) => {
      await rejectsWith(addRuns(s, [edited]), /run-edited: results.json and results.csv disagree: .*has a row logreg\/fit\/rows=\d;cols=10\/cpu/);
      assert.deepEqual(await rowsOf(s, 'SELECT count(*) FROM runs'), [[5]]);
      assert.deepEqual(await rowsOf(s, 'SELECT count(*) FROM rows'), [[15]]);
    });
    const short = one('run-short', { medians: [5], samplesPerRow: 4 });
    const samples = path.join(short, 'samples.csv');
    fs.writeFileSync(samples, fs.readFileSync(samples, 'utf8').trimEnd().split('\n').slice(0, -1).join('\n') + '\n');
    const fewer = /run-short: row logreg\/fit\/rows=0;cols=10\/cpu: results.csv says 4 samples, samples.csv has 3/;
    await withStore(f.store, true, (s) => rejectsWith(addRuns(s, [short]), fewer));
  });
});

describe('history store: stores and queries it refuses', () => {
  it('refuses a store of a newer schema, a database that is no store, and failing SQL, each in one line', async () => {
    const f = fixture();
    await withStore(f.store, true, (s) => addRuns(s, [f.runsDir]));
    const db = await DuckDBInstance.create(f.store);
    const c = await db.connect();
    await c.run('UPDATE modelbench_schema SET version = 99');
    c.closeSync();
    db.closeSync();
    await rejectsWith(openStore(f.store, { write: true }), /written by history schema version 99; this modelbench reads up to version 2/);
    const other = path.join(f.dir, 'other.duckdb');
    const odb = await DuckDBInstance.create(other);
    await (await odb.connect()).run('CREATE TABLE t (a INTEGER)');
    odb.closeSync();
    await rejectsWith(openStore(other, { write: false }), /not a modelbench history store/);
    fs.writeFileSync(path.join(f.dir, 'junk.duckdb'), 'not a database');
    await rejectsWith(openStore(path.join(f.dir, 'junk.duckdb'), { write: true }), /cannot open the store \(.*not a valid DuckDB database file/);
    await rejectsWith(openStore(path.join(f.dir, 'absent.duckdb'), { write: false }), /no such store; create it with `modelbench history add/);
    const folder = await openRunsFolder(f.runsDir);
    try {
      await rejectsWith(runQuery(folder.connection, 'SELECT nope FROM rows'), /the query failed: .*"nope".*; the tables are runs, rows, samples, context, row_details/);
      const result = await runQuery(folder.connection, "SELECT run_id, median_ms FROM rows WHERE size = 'rows=2;cols=10' ORDER BY run_id LIMIT 2");
      assert.equal(renderQuery(result, 'csv'), 'run_id,median_ms\nrun-a-0,300\nrun-a-1,300\n');
      assert.deepEqual(JSON.parse(renderQuery(result, 'json')), [{ run_id: 'run-a-0', median_ms: 300 }, { run_id: 'run-a-1', median_ms: 300 }]);
      assert.match(renderQuery(result, 'table'), /^run_id {3}median_ms\n-+ {2}-+\nrun-a-0 {8}300\n/);
    } finally {
      folder.close();
    }
  });

  it('exports one Parquet file per table', async () => {
    const f = fixture();
    await withStore(f.store, true, (s) => addRuns(s, [f.runsDir]));
    const out = path.join(f.dir, 'parquet');
    const written = await withStore(f.store, false, (s) => exportParquet(s, out));
    const expected = [['runs.parquet', 5], ['rows.parquet', 15], ['samples.parquet', 3 * (5 + 6 + 7) + 3 * (5 + 6)], ['context.parquet', 5], ['row_details.parquet', 6]];
    assert.deepEqual(written.map((w) => [path.basename(w.file), w.rows]), expected);
    const db = await DuckDBInstance.create(':memory:');
    const reader = await (await db.connect()).runAndReadAll(`SELECT count(*) FROM read_parquet('${path.join(out, 'rows.parquet')}') WHERE median_ms = 20`);
    assert.equal(Number(reader.getRowsJS()[0][0]), 5);
    db.closeSync();
  });
});

describe('history store: export, a second writer, the command line', () => {
  it('a second writer waits for the first, saying so, or refuses when its wait runs out; the store stays whole', async () => {
    const f = fixture();
    await withStore(f.store, true, (s) => addRuns(s, [path.join(f.runsDir, 'run-a-0')]));
    const holder = spawn(process.execPath, ['--input-type=module', '-e', HOLD_STORE, f.store, '2500'], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
    await rejectsWith(openStore(f.store, { write: true, waitSeconds: 0.3 }), /in use by PID \d+ .*was not released in time; .*--wait SECONDS/);
    const said: string[] = [];
    const s = await openStore(f.store, { write: true, waitSeconds: 30, onWait: (l) => said.push(l) });
    try {
      assert.match(said.join('\n'), /in use by PID \d+.*waiting up to 30 s/);
      await addRuns(s, [f.runsDir]);
      assert.deepEqual(await rowsOf(s, 'SELECT count(*), count(DISTINCT run_id) FROM runs'), [[5, 5]]);
    } finally {
      s.close();
    }
  });

  it('the command line: add, query and export print what they did; mistakes are one line with exit 2', () => {
    const f = fixture();
    const add = modelbench(['history', 'add', f.runsDir, '--store', f.store]);
    assert.equal(add.code, 0, add.stderr);
    assert.equal(add.stdout, `${f.store}: added 5 run(s) (15 rows, 87 samples); 0 already there\n`);
    const sql = 'SELECT machine, count(*) AS n FROM runs GROUP BY machine ORDER BY machine';
    const q = modelbench(['history', 'query', sql, '--store', f.store, '--format', 'csv']);
    assert.equal(q.stdout, 'machine,n\nbench-1 (Synthetic CPU x2),3\nbench-2 (Synthetic CPU x2),2\n');
    const viaRuns = modelbench(['history', 'query', '--runs', f.runsDir, 'SELECT count(*) AS n FROM rows']);
    assert.match(viaRuns.stdout, /^ n\n-+\n15\n\(1 row\)\n$/);
    const bad = modelbench(['history', 'query', 'SELEC 1', '--store', f.store]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^modelbench history: the query failed: syntax error at or near "SELEC"; the tables are runs, rows, samples, context, row_details .*\n$/);
    const missing = modelbench(['history', 'add', path.join(f.dir, 'nowhere'), '--store', f.store]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^modelbench history: .*nowhere: not found; give a run folder/);
  });
});

/** A process that holds the store open (DuckDB's lock) for argv[2] ms, saying "held" once it does. */
const HOLD_STORE = `import { DuckDBInstance } from '@duckdb/node-api';
const db = await DuckDBInstance.create(process.argv[1]);
await db.connect();
process.stdout.write('held\\n');
setTimeout(() => db.closeSync(), Number(process.argv[2]));`;
