// The HTML report merges runs that other machines (or other people) send: every string in a
// results.json is text, never markup (the audit of 2026-12-02 ran a script planted in a backend's device).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { describe, it } from 'vitest';
import { executeReport, REPORT_COMMAND } from '../../src/cli/report.js';
import { parseCommand } from '../../src/cli/options.js';
import { latencies, row, tmpDir, writeRun } from '../helpers/runs.js';

const PLANT = '<script>alert(1)</script>"><img src=x onerror=alert(2)>';

/** Every string value of a JSON tree with the markup appended, but those whose values are a closed set. */
function planted(value: unknown, key = ''): unknown {
  if (typeof value === 'string') return ['status', 'check'].includes(key) ? value : `${value}${PLANT}`;
  if (Array.isArray(value)) return value.map((v) => planted(v, key));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, planted(v, k)]));
  return value;
}

/** A run whose every string field (context, backends, rows, names) carries markup; samples.csv keyed alike. */
function plantedRun(): string {
  const dir = tmpDir();
  const run = writeRun(dir, [
    row({ workload: 'fit', backend: 'wasm', implementation: 'mine', efficiencyNote: 'slow', expectedFailure: 'known' }, latencies(5, 30, 1)),
    row({ workload: 'fit', backend: 'cpu', status: 'errored', error: 'it broke' }, []),
  ]);
  const file = path.join(run, 'results.json');
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  json.context.backends = [
    { name: 'wasm', available: true, runtime: { name: 'wasm', version: '4.22.0', device: 'a device', deviceKind: 'cpu', relativeTolerance: 1e-3 } },
    { name: 'webgpu', available: false, reason: 'no adapter', fix: 'install one' },
  ];
  fs.writeFileSync(file, JSON.stringify(planted(json)));
  const samples = path.join(run, 'samples.csv');
  const records = parse(fs.readFileSync(samples, 'utf8'), { columns: true }) as Record<string, string>[];
  const keys = ['run_id', 'model', 'workload', 'size', 'backend'];
  fs.writeFileSync(samples, stringify(records.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, keys.includes(k) ? `${v}${PLANT}` : v]))), { header: true }));
  return run;
}

describe('the HTML report escapes every string of its runs', () => {
  it('a results.json with markup in host, CPU, backend, device, version, error and names yields no tag of it', async () => {
    const run = plantedRun();
    const out = path.join(path.dirname(run), 'r.html');
    const { values, positionals } = parseCommand(REPORT_COMMAND, [run, '--out', out]);
    const outcome = await executeReport(values, positionals);
    assert.equal(outcome.code, 0, outcome.error);
    const html = fs.readFileSync(out, 'utf8');
    assert.doesNotMatch(html, /<script/i);
    assert.doesNotMatch(html, /<img/i);
    assert.doesNotMatch(html, /onerror=alert\(2\)>/, 'an attribute could close its quote');
    // The strings are shown, as text: the device among them (the audit's hole), and the error note.
    const host = JSON.parse(fs.readFileSync(path.join(run, 'results.json'), 'utf8')).context.host as string;
    const text = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
    for (const shown of ['a device', 'it broke', host.replace(PLANT, ''), 'wasm']) assert.ok(html.includes(text(`${shown}${PLANT}`)), `${shown} is not shown as text`);
  });
});
