// Every run records the versions it ran with; a package that hides its package.json (tinybench's
// `exports`) must not be recorded as 'unknown' (a false environment difference against baselines).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { it } from 'vitest';
import { installedVersion } from '../../src/backends/versions.js';
import { REPO } from '../helpers/data.js';

it('reads the installed version of tinybench and tfjs, and says undefined for a missing package', () => {
  const tinybench = JSON.parse(fs.readFileSync(`${REPO}/node_modules/tinybench/package.json`, 'utf8')).version;
  assert.equal(installedVersion('tinybench'), tinybench);
  assert.match(installedVersion('@tensorflow/tfjs-core') ?? '', /^\d+\.\d+\.\d+/);
  assert.equal(installedVersion('no-such-package-here'), undefined);
});
