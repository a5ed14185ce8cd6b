// Every planted bug of the catalogue (catalogue.ts) is caught by the check named beside it. The same
// implementations without the bug pass every check: catalogue.slow.test.ts. The catch rate is in the README.
import assert from 'node:assert/strict';
import { beforeAll, describe, it } from 'vitest';
import { wasmBackend } from '../../src/backends/wasm.js';
import type { Tf } from '../../src/types.js';
import { runChecks } from '../../src/validate/run.js';
import { implementationAt } from '../../src/protocol/implementation.js';
import { sayHello } from '../../src/protocol/session.js';
import { CATALOGUE, impl, LIMITS, quiet } from './catalogue.js';

describe('the broken-implementation catalogue: every planted bug is caught', () => {
  let tf: Tf;
  beforeAll(async () => {
    tf = (await wasmBackend.activate()).tf;
  });

  for (const entry of CATALOGUE) {
    it(`${entry.impl} (${entry.bug}) is caught by ${entry.caughtBy}`, async () => {
      const target = impl(entry.impl);
      // Only the named check: the bug must be caught there (the others may or may not notice it).
      const outcomes = await runChecks(implementationAt(target, LIMITS), entry.model, await sayHello(implementationAt(target, LIMITS), quiet), tf, quiet, () => {}, { only: [entry.caughtBy] });
      const named = outcomes.find((o) => o.check === entry.caughtBy)!;
      assert.ok(named.status === 'failed' || named.status === 'errored', `${entry.caughtBy}: ${named.status} (${named.detail})`);
    });
  }
});
