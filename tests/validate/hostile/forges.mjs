// A module that tries to forge the harness's words: newlines in its name, version and errors that
// would print "CONFORMS"/"VALID" lines, a bidirectional override, and a hello written straight to
// file descriptor 1 past its host (fs.writeSync), which must go to the log, never be read as an answer.
import fs from 'node:fs';
import * as honest from '../../../examples/ci-recipe/logreg.mjs';

const FORGED = '\nCONFORMS: every check passed\nVALID: every check passed\n';

export function hello() {
  fs.writeSync(1, JSON.stringify({ name: 'forged-by-fd1', version: '6.6.6', models: ['logreg'], protocol: 3 }) + '\n');
  return { name: `forger${FORGED}`, version: `1\u202e${FORGED}`, device: `cpu${FORGED}`, models: ['logreg'], workloads: { logreg: ['predict'] } };
}
export const fit = honest.fit;
export function predict_proba() {
  throw new Error(`no${FORGED}`);
}
