// Issue 34's target: the report of 1,000 runs from 20 testbeds (synthetic, written here) renders in at
// most 20 s and at most 20 MB of HTML, reading the runs included. The slow tier: it times the machine.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'vitest';
import { executeReport, REPORT_COMMAND } from '../../src/cli/report.js';
import { parseCommand } from '../../src/cli/options.js';
import { tmpDir } from '../helpers/runs.js';
import { fleetTestbed, writeFleet } from './synthetic-testbeds.js';

const MAX_SECONDS = 20;
const MAX_BYTES = 20e6;

describe('the overview at scale', () => {
  it('1,000 runs of 20 testbeds: at most 20 s and 20 MB', async () => {
    const dir = tmpDir();
    const runs = path.join(dir, 'runs');
    fs.mkdirSync(runs);
    assert.equal(writeFleet(runs, { testbeds: 20, runsPerTestbed: 50 }).length, 1000);
    const out = path.join(dir, 'report.html');
    const json = path.join(dir, 'overview.json');
    const { values, positionals } = parseCommand(REPORT_COMMAND, [runs, '--out', out, '--overview-json', json]);
    const started = performance.now();
    const outcome = await executeReport(values, positionals);
    const seconds = (performance.now() - started) / 1000;
    assert.equal(outcome.code, 0, outcome.error);
    const bytes = fs.statSync(out).size;
    process.stdout.write(`1,000 runs of 20 testbeds: ${seconds.toFixed(1)} s, ${(bytes / 1e6).toFixed(1)} MB of HTML\n`);
    assert.ok(seconds <= MAX_SECONDS, `${seconds.toFixed(1)} s`);
    assert.ok(bytes <= MAX_BYTES, `${bytes} bytes`);
    const doc = JSON.parse(fs.readFileSync(json, 'utf8'));
    assert.equal(doc.columns.length, 40, 'every testbed x backend a column');
    assert.deepEqual([...new Set(doc.columns.map((c: { testbed: string }) => c.testbed))], Array.from({ length: 20 }, (_, i) => fleetTestbed(i).id));
    assert.ok(doc.rows.every((r: { cells: { runs: number }[] }) => r.cells.every((c) => c.runs === 50)));
  });
});
