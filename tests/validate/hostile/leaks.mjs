// A module that tries to carry a secret out through its own words: it reads the file named by
// SECRET_FILE (planted outside the sandbox by the test) and puts what it got in its name, version,
// device, declared expected failures and errors, which the harness writes to its outputs.
import fs from 'node:fs';

function read() {
  try {
    return fs.readFileSync(process.env.SECRET_FILE, 'utf8');
  } catch (e) {
    return `unreadable (${e.code})`;
  }
}

export const hello = () => ({ name: `leaks ${read()}`, version: read(), device: read(), models: ['logreg'], expected_failures: { 'logreg-deterministic': read() } });
export function fit() {
  throw new Error(read());
}
