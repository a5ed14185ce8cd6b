// A calibration that spans sittings whose runs were not all kept: an earlier sitting's judged tallies
// are counted with a folder's pairs, only when they were run the same way and numbered apart.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'vitest';
import { GATE_DEFAULTS } from '../../src/gate/gate.js';
import { modelbench } from '../helpers/cli.js';
import { REPO } from '../helpers/data.js';

/** `modelbench calibrate ARGS`, with the exit code where the script's spawnSync had `status`. */
const script = (...args: string[]) => {
  const r = modelbench(['calibrate', ...args], { timeoutMs: 60_000 });
  return { status: r.code, stdout: r.stdout, stderr: r.stderr };
};
const INJECT = 'scale:*/cpu=0.10';

function earlierSitting(overrides: Record<string, unknown> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelbench-earlier-'));
  const rows = {
    'logreg/predict/rows=10000;cols=50/cpu': { aaAlarms: 0, caught: 1, injected: 2, predicted: [0.08, null], misses: ['pair 2: shift 6.6%, p = 1.75e-3'] },
    'svm/decision-linear/rows=1000;cols=10/cpu': { aaAlarms: 1, caught: 2, injected: 2, predicted: [0.05, 0.06], misses: [] },
  };
  fs.writeFileSync(path.join(dir, 'rows.json'), JSON.stringify({ pairs: 2, falseAlarmPairs: 1, inject: INJECT, repeat: 2, gate: GATE_DEFAULTS, rows, ...overrides }));
  fs.writeFileSync(path.join(dir, 'calibration.json'), JSON.stringify({ inject: INJECT, suite: 'quick', backends: 'cpu', repeat: 2 }));
  fs.writeFileSync(path.join(dir, 'summary.txt'), 'pair 1: A/A FALSE ALARM (svm/decision-linear/rows=1000;cols=10/cpu ...); injected: every row caught\npair 2: A/A pass; injected: missed logreg/predict/rows=10000;cols=50/cpu\nA/A false alarms (any row): 1 of 2 pairs\n');
  return dir;
}

function judgedFolder(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelbench-judged-'));
  fs.writeFileSync(path.join(dir, 'calibration.json'), JSON.stringify({ inject: INJECT, suite: 'quick', backends: 'cpu', repeat: 2 }));
  return dir;
}

describe('modelbench calibrate --earlier', () => {
  it('counts an earlier sitting\'s pairs first: tallies, predictions beyond the search and pair lines carried over', () => {
    const earlier = earlierSitting();
    const dir = judgedFolder();
    const r = script('--judge', dir, '--earlier', earlier);
    assert.equal(r.status, 0, r.stderr);
    const judged = JSON.parse(fs.readFileSync(path.join(dir, 'rows.json'), 'utf8'));
    assert.equal(judged.pairs, 2);
    assert.equal(judged.falseAlarmPairs, 1);
    assert.equal(judged.suite, 'quick');
    assert.deepEqual(judged.rows['logreg/predict/rows=10000;cols=50/cpu'].predicted, [0.08, null]);
    assert.equal(judged.lines.length, 2);
    const summary = fs.readFileSync(path.join(dir, 'summary.txt'), 'utf8');
    assert.match(summary, new RegExp(`^pairs 1-2 judged earlier, counted from ${earlier.replace(/[/\\]/g, '.')}`));
    assert.match(summary, /A\/A false alarms \(any row\): 1 of 2 pairs/);
    assert.match(summary, /\| logreg\/predict\/rows=10000;cols=50\/cpu \| 8.0% \| 1 of 2 \| 0 of 2 \|/);
    // The merged folder can itself be the earlier sitting of another: its lines travel in rows.json.
    const next = judgedFolder();
    const again = script('--judge', next, '--earlier', dir);
    assert.equal(again.status, 0, again.stderr);
    assert.equal(JSON.parse(fs.readFileSync(path.join(next, 'rows.json'), 'utf8')).pairs, 2);
  });

  it('refuses pairs numbered within the earlier sitting\'s, a sitting run another way, and a run', () => {
    const earlier = earlierSitting();
    const dir = judgedFolder();
    fs.mkdirSync(path.join(dir, '2'));
    const clash = script('--judge', dir, '--earlier', earlier);
    assert.equal(clash.status, 2);
    assert.match(clash.stderr, /^modelbench calibrate: pair 2 of this folder is numbered within the earlier sitting's \(up to 2\); number this folder's pairs from 3/);
    const other = script('--judge', judgedFolder(), '--earlier', earlierSitting({ repeat: 3 }));
    assert.equal(other.status, 2);
    assert.match(other.stderr, /its pairs were judged with --repeat 3, these with 2; only a calibration run the same way can be counted with it\n$/);
    const missing = script('--judge', judgedFolder(), '--earlier', path.join(os.tmpdir(), 'no-such-calibration'));
    assert.match(missing.stderr, /--earlier .*no-such-calibration: no rows.json there; give the folder of a judged calibration/);
    const run = script('--earlier', earlier, '--out', path.join(REPO, 'never-written'));
    assert.equal(run.status, 2);
    assert.match(run.stderr, /--earlier counts an earlier sitting in with a judging only/);
    assert.equal(fs.existsSync(path.join(REPO, 'never-written')), false);
  });
});
