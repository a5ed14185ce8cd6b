// The broken-implementation catalogue, part one: the implementations of the catalogue (catalogue.ts)
// without their bug pass every check, and every protocol option is exercised by a check and has a
// planted bug it catches (slow tier). Part two, each planted bug caught by its check: catalogue-bugs.test.ts.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, it } from 'vitest';
import { wasmBackend } from '../../src/backends/wasm.js';
import type { Tf } from '../../src/types.js';
import { optionCoverageTable, optionKey, protocolOptions } from '../../src/validate/protocol-options.js';
import type { ProtocolOption } from '../../src/models/protocol-option.js';
import type { Request } from '../../src/protocol/messages.js';
import { allChecks } from '../../src/validate/registry.js';

const CHECKS = allChecks();
const PROTOCOL_OPTIONS = protocolOptions();
import { runChecks } from '../../src/validate/run.js';
import { implementationAt } from '../../src/protocol/implementation.js';
import { sayHello } from '../../src/protocol/session.js';
import { REPO } from '../helpers/data.js';
import { CATALOGUE, impl, LIMITS, quiet } from './catalogue.js';

const PROTOCOL_DOC = path.join(REPO, 'docs/protocol.md');
/** The requests each check sent to the correct implementations, for the option-to-check table. */
const sent = new Map<string, Request[]>();
const record = (check: string, request: Request) => sent.set(check, [...(sent.get(check) ?? []), request]);

describe('the broken-implementation catalogue', () => {
  let tf: Tf;
  beforeAll(async () => {
    tf = (await wasmBackend.activate()).tf;
  });

  it('our reference logistic regression (src/validate/reference-impl.ts) passes every logreg check', async () => {
    // The reference SVM, VAE and GAN are checked through the *-correct wrappers below.
    const target = path.join(REPO, 'src/validate/reference-impl.ts');
    const outcomes = await runChecks(implementationAt(target, LIMITS), 'logreg', await sayHello(implementationAt(target, LIMITS), quiet), tf, quiet, () => {});
    assert.deepEqual(outcomes.filter((o) => o.status !== 'passed').map((o) => `${o.check}: ${o.status} ${o.detail}`), []);
  });

  for (const correct of ['logreg-correct', 'svm-correct', 'vae-correct', 'gan-correct']) {
    it(`${correct} (no bug planted) passes every check`, async () => {
      const target = impl(correct);
      const model = correct.split('-')[0];
      const outcomes = await runChecks(implementationAt(target, LIMITS), model, await sayHello(implementationAt(target, LIMITS), quiet), tf, quiet, () => {}, { onRequest: record });
      assert.deepEqual(outcomes.filter((o) => o.status !== 'passed').map((o) => `${o.check}: ${o.status} ${o.detail}`), []);
    });
  }

  it('every protocol option is exercised by a check and has a planted bug that a check exercising it catches; docs/protocol.md carries the table', () => {
    const missing = CHECKS.filter((c) => !sent.has(c.name)).map((c) => c.name);
    assert.deepEqual(missing, [], 'run the whole file: the table is built from the requests of every check on the correct implementations');
    const exercising = (o: ProtocolOption) => [...sent].filter(([, requests]) => requests.some((r) => o.asks(r))).map(([check]) => check);
    const caught = new Map<string, string[]>();
    for (const o of PROTOCOL_OPTIONS) {
      const bugs = CATALOGUE.filter((e) => e.model === o.model && e.option === o.option && exercising(o).includes(e.caughtBy));
      caught.set(optionKey(o), bugs.map((e) => e.impl));
    }
    assert.deepEqual(CATALOGUE.filter((e) => !PROTOCOL_OPTIONS.some((o) => o.model === e.model && o.option === e.option)).map((e) => e.option), [], 'a catalogue entry names an option src/validate/protocol-options.ts does not list');
    const table = optionCoverageTable(sent, caught);
    assert.ok(!table.includes('**none**'), `an option without an exercising check or a caught planted bug:\n${table}`);
    const doc = readFileSync(PROTOCOL_DOC, 'utf8');
    assert.ok(doc.includes(table), `docs/protocol.md must carry the option-to-check table as the checks' requests give it; paste:\n${table}`);
  });
});
