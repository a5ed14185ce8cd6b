// The summary's comparison with implementations under test compares like with like: the objectives'
// relative difference only where both are the optimum of the same data (a fit); a prediction from our
// seeded weights beside one from the implementation's own fit shows each number, said not comparable.
import assert from 'node:assert/strict';
import { describe, it } from 'vitest';
import { peerComparison } from '../../src/present/summary.js';
import { latencies, row } from '../helpers/runs.js';

describe('peerComparison', () => {
  it('gives a relative difference for fits and each side\'s own number for predictions', () => {
    const fitOurs = row({ workload: 'fit', backend: 'wasm', objectiveName: 'J', objectiveAtOptimum: true, oracleObjective: 100 }, latencies(2, 20, 1));
    const fitTheirs = row({ workload: 'fit', backend: 'impl:x', implementation: 'x', objectiveName: 'J', objectiveAtOptimum: true, oracleObjective: 100.5 }, latencies(4, 20, 2));
    const predictOurs = row({ workload: 'predict', backend: 'wasm', objectiveName: 'mean log-loss', oracleObjective: 1.6 }, latencies(1, 20, 3));
    const predictTheirs = row({ workload: 'predict', backend: 'impl:x', implementation: 'x', objectiveName: 'mean log-loss', oracleObjective: 0.25 }, latencies(1, 20, 4));
    const text = peerComparison([fitOurs, fitTheirs, predictOurs, predictTheirs]);
    const line = (w: string) => text.split('\n').find((l) => l.startsWith(`logreg/${w} `))!;
    assert.match(line('fit'), /rel\. diff -0\.0050/);
    assert.match(line('predict'), /not comparable \(each at its own parameters\): 1\.6\d* vs 0\.25/);
    assert.ok(!/rel\. diff/.test(line('predict')));
  });
});
