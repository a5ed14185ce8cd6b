// Testbeds tell machines apart by what decides their speed (issue 34): two VMs whose CPU model names
// agree but of which one has AVX-512 are two testbeds; two runs of one machine are one, whatever the
// versions, the microcode or the governor say.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'vitest';
import { makeContext, type RunContext } from '../../src/results/context.js';
import { mergeRuns } from '../../src/results/merge.js';
import { crossTestbedProblem, testbedDifferences, testbedOf } from '../../src/results/testbed-diff.js';
import { cpuFromProbe, probeHardware, testbedFrom, testbedNameProblem, testbedProblem, thisTestbed } from '../../src/results/testbed.js';
import { seedsFrom } from '../../src/seeds.js';
import { AVX512, BASE_FLAGS, probe, testbed } from './synthetic-testbeds.js';

const context = (over: Partial<RunContext>): RunContext => ({ ...makeContext('quick', 1, seedsFrom(1), {}, new Date(Date.UTC(2026, 0, 1))), ...over });

describe('testbeds', () => {
  it('two machines that differ only in AVX-512 are two testbeds; two runs of one machine are one', () => {
    const plain = testbed();
    const again = testbed();
    const wide = testbed({ flags: [...BASE_FLAGS, ...AVX512] });
    assert.equal(plain.id, again.id);
    assert.notEqual(plain.id, wide.id);
    assert.match(plain.id, /^tb-[0-9a-f]{10}$/);
    assert.equal(plain.cpu.name, wide.cpu.name, 'the model name says nothing of AVX-512');
    assert.ok(wide.cpu.flags.includes('avx512f') && !plain.cpu.flags.includes('avx512f'));
    // Versions, microcode and governor are recorded but do not make another testbed.
    const updated = testbedFrom({ ...probe(), governor: 'powersave', cpuinfo: probe().cpuinfo.replace(/0x1000065/g, '0x1000066') });
    assert.equal(updated.id, plain.id);
    assert.equal(updated.cpu.microcode, '0x1000066');
    // Other caches, cores, memory or GPUs are other hardware.
    const others = [testbed({ l2: '1024K' }), testbed({ cores: 4 }), testbed({ memoryGiB: 16 }), testbed({ gpus: ['10de:2335'] })];
    for (const other of others) assert.notEqual(other.id, plain.id);
  });

  it('reads vendor, family, model, stepping, microcode, the flags that matter, cores and caches', () => {
    const cpu = cpuFromProbe(probe({ flags: [...BASE_FLAGS, 'amx_tile', 'avx512_bf16', 'sse4a', 'aes'], cores: 4 }));
    assert.deepEqual(
      [cpu.vendor, cpu.family, cpu.model, cpu.stepping, cpu.microcode, cpu.logicalCores, cpu.physicalCores],
      ['AuthenticAMD', '25', '1', '1', '0x1000065', 4, 4],
    );
    assert.deepEqual(cpu.flags, ['amx_tile', 'avx', 'avx2', 'avx512_bf16', 'f16c', 'fma', 'sse4_1', 'sse4_2', 'sse4a']);
    assert.equal(cpu.caches.L2, '512K');
    // Hyper-threads: two processors on one core id count as one physical core.
    const smt = cpuFromProbe({ ...probe(), cpuinfo: probe({ cores: 2 }).cpuinfo.replace(/core id\t\t: 1/, 'core id\t\t: 0') });
    assert.equal(smt.physicalCores, 1);
    assert.equal(smt.logicalCores, 2);
  });

  it('reads this machine (where /proc/cpuinfo exists) and records it in every new run context', () => {
    const here = thisTestbed();
    assert.equal(here.id, thisTestbed().id, 'stable within a process');
    if (fs.existsSync('/proc/cpuinfo')) assert.ok(here.cpu.vendor !== 'unknown' && here.cpu.family !== '', JSON.stringify(here.cpu));
    assert.equal(probeHardware().logicalCores, here.cpu.logicalCores);
    assert.equal(context({}).testbed?.id, here.id);
    const named = makeContext('quick', 1, seedsFrom(1), { testbed: 'ci-epyc' });
    assert.equal(named.testbed?.id, 'ci-epyc');
    assert.equal(named.testbed?.hash, here.hash, 'a name keeps the hardware hash');
    assert.equal(testbedProblem(here), undefined);
  });

  it('refuses a bad name and a malformed testbed with the field', () => {
    assert.equal(testbedNameProblem('gpu-h200.1'), undefined);
    assert.match(testbedNameProblem('two words')!, /^--testbed 'two words': a testbed name is 1-64 letters/);
    assert.match(testbedNameProblem('')!, /--testbed ''/);
    assert.match(testbedProblem({ ...testbed(), cpu: { ...testbed().cpu, flags: 'avx2' } })!, /context\.testbed\.cpu\.flags must be a list of strings/);
    assert.match(testbedProblem('x')!, /context\.testbed is not an object/);
  });

  it('a pre-testbed run is its own "unknown (pre-testbed run)" series, never merged into a testbed', () => {
    const old = context({ testbed: undefined, host: 'vm' });
    assert.equal(testbedOf(old), `unknown (pre-testbed run): vm (${old.cpuModel} x${old.cpuCores})`);
    const run = (c: RunContext) => ({ dir: '/x', context: c, rows: [] as never[] });
    const rows = [{ model: 'logreg', workload: 'fit', size: 's', backend: 'cpu' }] as never[];
    const merged = mergeRuns([{ ...run(old), rows }, { ...run(context({ host: 'vm' })), rows }]);
    assert.equal(new Set(merged.map((m) => m.machine)).size, 2);
  });

  it('an automatic testbed keeps its hosts apart; a named one pools them', () => {
    const rows = [{ model: 'logreg', workload: 'fit', size: 's', backend: 'cpu' }] as never[];
    const run = (c: RunContext) => ({ dir: '/x', context: c, rows });
    const auto = mergeRuns([run(context({ host: 'a', testbed: testbed() })), run(context({ host: 'b', testbed: testbed() }))]).map((m) => m.machine);
    assert.deepEqual(auto, [`${testbed().id} on a`, `${testbed().id} on b`]);
    const ci = testbed({}, 'ci');
    const named = mergeRuns([run(context({ host: 'a', testbed: ci })), run(context({ host: 'b', testbed: ci }))]).map((m) => m.machine);
    assert.deepEqual(named, ['ci', 'ci']);
  });

  it('says what two testbeds differ in, and refuses a speed verdict across them', () => {
    const a = context({ testbed: testbed() });
    const b = context({ testbed: testbed({ flags: [...BASE_FLAGS, ...AVX512] }) });
    const fields = testbedDifferences([a], [b]).map((d) => d.field);
    assert.deepEqual(fields, ['testbed', 'testbed hardware hash', 'instruction sets']);
    const why = crossTestbedProblem([a], [b])!;
    assert.match(why, /^BASELINE ran on testbed tb-\w+ and CANDIDATE on testbed tb-\w+ \(they differ in: /);
    assert.match(why, /\(they differ in: instruction sets \(only CANDIDATE has avx512_vnni avx512bw avx512cd avx512dq avx512f avx512vl\)\); a speed verdict/);
    assert.match(why, /pass --across-testbeds to judge anyway$/);
    assert.equal(crossTestbedProblem([a], [context({ testbed: testbed() })]), undefined);
    // A pre-testbed side cannot be told apart: compared, with its testbed line in the differences.
    const old = context({ testbed: undefined });
    assert.equal(crossTestbedProblem([old], [a]), undefined);
    assert.deepEqual(testbedDifferences([old], [a]).map((d) => d.field), ['testbed']);
  });
});
