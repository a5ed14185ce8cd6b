// `fit --twin IMPL`: ours and an implementation under test step by step from the same parameters,
// batches and noise; the table per step, an implementation's failure as a line, refusals as one line.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'vitest';
import { modelbench } from '../helpers/cli.js';
import { REPO } from '../helpers/data.js';
import { HAS_TORCH } from '../models/twin-peer.js';

const SMALL = ['--data', 'ring8', '--hidden', '16', '--layers', '2', '--batch', '32', '--backend', 'cpu'];

describe('fit --twin', () => {
  it.skipIf(!HAS_TORCH)(
    'prints per step the largest relative differences against PyTorch (needs python3-torch)',
    () => {
      const r = modelbench(['fit', '--model', 'gan', ...SMALL, '--twin', 'pytorch-1-thread', '--twin-steps', '3']);
      assert.equal(r.code, 0, r.stderr + r.stdout);
      assert.match(r.stdout, /gan twin trajectories, seed \d+: ours on cpu and pytorch-1-thread/);
      assert.match(r.stdout, /step +V ours +V theirs +V rel +worst tensor +rel +moved +norm/);
      assert.match(r.stdout, /within 1\.00e-5 at all 3 steps/);
      const j = JSON.parse(
        modelbench(['fit', '--model', 'gan', ...SMALL, '--twin', 'pytorch-1-thread', '--twin-steps', '2', '--json'])
          .stdout,
      );
      assert.equal(j.rows.length, 2);
      assert.deepEqual(Object.keys(j.rows[0].tensors).slice(0, 2), ['g0.w', 'g0.b']);
      assert.equal(j.init.length, Object.keys(j.rows[0].tensors).length);
    },
  );

  it('an implementation that fails is a line of the report and exit 1, not a crash', () => {
    const broken = path.join(REPO, 'tests/impl/misbehaving/gan-dies.mjs');
    const r = modelbench(['fit', '--model', 'gan', ...SMALL, '--twin', `broken=${broken}`, '--twin-steps', '2']);
    assert.equal(r.code, 1, r.stderr + r.stdout);
    assert.match(r.stdout, /broken failed /);
  });

  it('refuses what a twin cannot mean, in one line naming the option and the fix', () => {
    const seeds = modelbench(['fit', '--model', 'gan', ...SMALL, '--twin', 'pytorch-1-thread', '--seeds', '2']);
    assert.equal(seeds.code, 2);
    assert.match(seeds.stderr, /--twin follows one seed step by step: drop --seeds and --impl/);
    const steps = modelbench(['fit', '--model', 'gan', ...SMALL, '--twin-steps', '5']);
    assert.equal(steps.code, 2);
    assert.match(steps.stderr, /--twin-steps needs --twin IMPL/);
    const logreg = modelbench(['fit', '--model', 'logreg', '--data', 'breast-cancer', '--twin', 'sklearn-logreg']);
    assert.equal(logreg.code, 2);
    assert.match(logreg.stderr, /--twin: logreg has no twin trajectories; models with them: gan, vae/);
    const dsteps = modelbench(['fit', '--model', 'gan', ...SMALL, '--d-steps', '2', '--twin', 'pytorch-1-thread']);
    assert.equal(dsteps.code, 2);
    assert.match(dsteps.stderr, /--d-steps 2: the protocol's train_steps makes one D and one G update per step/);
  });
});
