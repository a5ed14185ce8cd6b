import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'vitest';
import { REPO_ROOT } from '../../src/results/context.js';
import { pairingCpu, parseCpuList } from '../../src/timing/pin-cpu.js';

const linuxWithTaskset = process.platform === 'linux' && spawnSync('taskset', ['--version']).status === 0;

describe('the CPU paired timing pins to', () => {
  it('reads the kernel\'s cpu lists, and refuses what is not one', () => {
    assert.deepEqual(parseCpuList('0-3,6,8-9\n'), [0, 1, 2, 3, 6, 8, 9]);
    assert.deepEqual(parseCpuList('5'), [5]);
    assert.equal(parseCpuList('3-1'), undefined);
    assert.equal(parseCpuList('ff'), undefined);
  });

  it('is the last CPU the process may use, not the machine\'s last; with one allowed, none', () => {
    assert.match(pairingCpu([2]).note, /one CPU allowed \(CPU 2\)/);
    assert.equal(pairingCpu([2]).cpu, undefined);
    if (linuxWithTaskset) assert.equal(pairingCpu([0, 1, 5]).cpu, 5);
  });

  it.runIf(linuxWithTaskset)('follows a taskset the harness was started under', () => {
    const script = "import { pairingCpu } from './src/timing/pin-cpu.ts'; console.log(JSON.stringify(pairingCpu()));";
    const r = spawnSync('taskset', ['-c', '0', process.execPath, '--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { note: 'one CPU allowed (CPU 0): every process runs on it' });
  });
});
