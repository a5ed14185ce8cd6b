// The peer comparison in summary.txt pairs each peer row with our fastest row of the same cell.
import assert from 'node:assert/strict';
import { describe, it } from 'vitest';
import { peerComparison, summaryTable } from '../../src/present/summary.js';
import type { Row } from '../../src/types.js';

function row(backend: string, size: string, medianMs: number): Row {
  return { model: 'vae', workload: 'train-step', size, backend, backendVersion: '', device: '', deviceKind: 'cpu', status: 'ok', samples: 5, medianMs, oracleObjective: -400, seedData: 1, seedInit: 2, seedSampling: 3 };
}

describe('peerComparison', () => {
  it('matches a peer measured at a thread count with our cell of the same size, against our fastest backend', () => {
    const text = peerComparison([row('wasm', 'batch=128', 34), row('cpu', 'batch=128', 960), row('peer:torch', 'batch=128;threads=1', 7), row('peer:torch', 'batch=128;threads=2', 9), row('peer:torch', 'batch=512;threads=1', 16)]);
    const lines = text.split('\n').filter((l) => l.startsWith('vae/'));
    assert.equal(lines.length, 2, text);
    assert.match(lines[0], /batch=128;threads=1\s+wasm\s+peer:torch\s+34 \/ 7 ms\s+4\.86/);
    assert.match(lines[1], /batch=128;threads=2\s+wasm/);
  });
});

describe('the run summary says how small a slowdown each row could show', () => {
  const noisy = (n: number, spread: number) => Array.from({ length: n }, (_, i) => 10 * (1 + spread * Math.sin(i * 12.9898)));
  const timed = (samples: number[]): Row => ({ ...row('wasm', 'batch=128', 10), samples: samples.length, rawSamples: samples });

  it('a tight row with many samples can see a few percent; three samples at the gate’s alpha cannot see anything', () => {
    const text = summaryTable([timed(noisy(400, 0.01)), timed(noisy(3, 0.01))], { detectable: true });
    const [tight, few] = text.split('\n').slice(2);
    const pct = Number(/\s(\d+(?:\.\d+)?)%\s/.exec(tight)![1]);
    assert.ok(pct >= 5 && pct <= 10, tight);
    assert.match(few, /> 100%/);
  });

  it('is left out while a run is still being written (it costs resampling)', () => {
    assert.doesNotMatch(summaryTable([timed(noisy(50, 0.01))]), /detectable/);
  });
});
