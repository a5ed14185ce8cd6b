// The scorecard: per implementation and model, conformance counts, rows passing the oracle, and speed
// relative to our fastest backend on the same cell.
import assert from 'node:assert/strict';
import { describe, it } from 'vitest';
import { buildScorecard, renderScorecard } from '../../src/present/scorecard.js';
import type { Row } from '../../src/types.js';

function row(backend: string, workload: string, medianMs: number, status: Row['status'] = 'ok', implementation?: string): Row {
  return { implementation, model: 'logreg', workload, size: 'rows=10;cols=2', backend, backendVersion: '', device: '', deviceKind: 'cpu', status, samples: 5, medianMs, check: status === 'ok' ? 'pass' : 'fail', seedData: 1, seedInit: 2, seedSampling: 3 };
}

describe('scorecard', () => {
  const rows = [row('cpu', 'fit-from-host', 40), row('wasm', 'fit-from-host', 10), row('impl:sk', 'fit-from-host', 5, 'ok', 'sk'), row('impl:sk', 'predict', 2, 'check-failed', 'sk'), row('wasm', 'predict', 1)];
  const conformance = [
    { implementation: 'sk', model: 'logreg', conforms: false, why: '1 check(s) failed or errored', outcomes: [{ check: 'a', model: 'logreg', description: '', status: 'passed' as const, detail: '', seconds: 1 }, { check: 'b', model: 'logreg', description: '', status: 'failed' as const, detail: '', seconds: 1 }] },
  ];

  it('measures speed against our fastest backend of the same cell and counts verdicts', () => {
    const lines = buildScorecard(rows, conformance);
    const sk = lines.find((l) => l.implementation === 'sk')!;
    assert.deepEqual(sk.speed.map((s) => [s.workload, s.relativeSpeed, s.ourBackend]), [['fit-from-host', 2, 'wasm'], ['predict', 0.5, 'wasm']]);
    assert.deepEqual(sk.rowChecks, { passed: 1, total: 2 });
    assert.equal(sk.conformance?.passed, 1);
    assert.equal(sk.conformance?.failed, 1);
    const ours = lines.find((l) => l.implementation === 'modelbench')!;
    assert.deepEqual(ours.rowChecks, { passed: 3, total: 3 });
    assert.equal(ours.conformance, undefined);
  });

  it('renders a table, Markdown and JSON', () => {
    const lines = buildScorecard(rows, conformance);
    assert.match(renderScorecard(lines, 'table'), /sk\s+logreg\s+DOES NOT CONFORM: 1\/2 passed, 1 failed\s+1\/2\s+fit-from-host 10x2: 2x; predict 10x2: 0\.500x/);
    assert.match(renderScorecard(lines, 'markdown'), /^\| implementation \| model \|/);
    assert.equal((JSON.parse(renderScorecard(lines, 'json')) as unknown[]).length, 2);
  });
});
