// An implementation that hangs, crashes, prints garbage or returns non-numbers fails each check with
// the reason, and the run goes on; one that cannot start, or bad arguments, exit with 2.
import assert from 'node:assert/strict';
import { describe, it } from 'vitest';
import { modelbench } from '../helpers/cli.js';

const MISBEHAVE = 'node tests/validate/misbehaving/misbehave.mjs';

describe('validate isolates the implementation under test', () => {
  for (const [how, reason] of [
    ['hang', /no answer to 'fit' within 1 s \(the process was stopped\)/],
    ['crash', /the process exited with code 7 before answering 'fit'/],
    ['garbage', /answer to 'fit' is not JSON: Traceback/],
    ['nan-number', /'weights'\[0\] is null, not a finite number/],
  ] as const) {
    it(`reports an implementation that does '${how}' as errored on every check, with the reason, and finishes`, () => {
      const r = modelbench(['validate', '--model', 'logreg', '--impl', `${MISBEHAVE} ${how}`, '--timeout', '1', '--quiet']);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stdout, /0 passed, 0 failed, 10 errored/);
      assert.match(r.stdout, reason);
    });
  }

  it('stops a module that exceeds --memory and reports it per check', () => {
    const r = modelbench(['validate', '--model', 'logreg', '--impl', 'tests/validate/misbehaving/memory-hog.mjs', '--memory', '128', '--checks', 'logreg-deterministic,logreg-label-flip', '--quiet']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /logreg-deterministic\s+errored.*(exited with code 13[34]|was killed by SIG(ABRT|TRAP)) \(aborted: out of memory under the 128 MB limit\? raise --memory\)/);
    assert.match(r.stdout, /0 passed, 0 failed, 2 errored/);
  });

  it('exits 2 when the implementation cannot start or does not implement the model, and on bad arguments', () => {
    const dead = modelbench(['validate', '--model', 'logreg', '--impl', "node -e 'process.exit(3)'"]);
    assert.equal(dead.code, 2);
    assert.match(dead.stderr, /could not be started: the process exited with code 3 before answering 'hello'/);
    const wrongModel = modelbench(['validate', '--model', 'svm', '--impl', `${MISBEHAVE} hang`]);
    assert.equal(wrongModel.code, 2);
    assert.match(wrongModel.stderr, /implements logreg, not svm/);
    const noModel = modelbench(['validate', '--impl', 'x']);
    assert.equal(noModel.code, 2);
    assert.match(noModel.stderr, /--model is required; models with conformance checks: logreg, svm, vae, gan/);
  });

  it('--data adds an optimum check on the user\'s data; a bad --data is a usage error', () => {
    const r = modelbench(['validate', '--model', 'logreg', '--impl', 'tests/validate/broken/logreg-correct.mjs', '--data', 'fixtures/breast-cancer/breast-cancer-zscored.csv', '--checks', 'logreg-optimum-user-data', '--quiet']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /logreg-optimum-user-data\s+passed/);
    const missing = modelbench(['validate', '--model', 'logreg', '--impl', 'tests/validate/broken/logreg-correct.mjs', '--data', 'no-such.csv']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no-such\.csv: cannot read the file \(ENOENT\); check the path/);
    const unknownCheck = modelbench(['validate', '--model', 'svm', '--impl', 'x', '--checks', 'svm-magic']);
    assert.equal(unknownCheck.code, 2);
    assert.match(unknownCheck.stderr, /unknown check\(s\) svm-magic for svm; its checks: svm-optimum-linear/);
  });

  it('shows a declared expected failure as such and does not count it against conformance', () => {
    const r = modelbench(['validate', '--model', 'logreg', '--impl', 'tests/validate/broken/logreg-stop-early-declared.mjs', '--quiet']);
    assert.match(r.stdout, /logreg-optimum-raw-breast-cancer\s+xfail/);
    assert.match(r.stdout, /declared: two Newton steps only/);
  });

  it('does not call an implementation that declares every check an expected failure and answers none of them conforming', () => {
    const r = modelbench(['validate', '--model', 'logreg', '--impl', 'tests/validate/misbehaving/declares-everything.mjs', '--quiet']);
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stdout, /0 passed, 0 failed, 10 errored, 0 expected failures/);
    assert.match(r.stdout, /DOES NOT CONFORM \(10 check\(s\) failed or errored\)/);
  });
});
