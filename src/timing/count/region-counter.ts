// The region counter: a Node addon of four valgrind client requests (callgrind's start, zero and dump
// of its counters), so that a counted process of ours counts its loop alone. Start-up, module loading
// and the warm-up run uninstrumented (under callgrind's --instr-atstart=no about 4x faster than counted
// under cachegrind: Node and tfjs-wasm start in 3.6 s instead of 16 s), and nothing before the loop can
// differ between processes and leak into the count. Built here on first use with the C compiler,
// from Node's and valgrind's own headers, into a folder keyed by the source and the Node ABI.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const SOURCE = `#include <node_api.h>
#include <valgrind/callgrind.h>
static napi_value start_(napi_env env, napi_callback_info info) { CALLGRIND_START_INSTRUMENTATION; return NULL; }
static napi_value zero_(napi_env env, napi_callback_info info) { CALLGRIND_ZERO_STATS; return NULL; }
static napi_value dump_(napi_env env, napi_callback_info info) { CALLGRIND_DUMP_STATS; return NULL; }
static napi_value running_(napi_env env, napi_callback_info info) {
  napi_value v;
  napi_get_boolean(env, RUNNING_ON_VALGRIND != 0, &v);
  return v;
}
NAPI_MODULE_INIT() {
  napi_property_descriptor d[] = {
    {"start", 0, start_, 0, 0, 0, napi_default, 0}, {"zero", 0, zero_, 0, 0, 0, napi_default, 0},
    {"dump", 0, dump_, 0, 0, 0, napi_default, 0}, {"running", 0, running_, 0, 0, 0, napi_default, 0}};
  napi_define_properties(env, exports, 4, d);
  return exports;
}
`;

/** The counter's requests, as the counted process sees them. */
export interface RegionCounter {
  /** Callgrind instruments from here on (the simulated caches start filling). */
  start(): void;
  /** The counters restart from zero. */
  zero(): void;
  /** The counters so far are written to the next numbered output file. */
  dump(): void;
  running(): boolean;
}

export type RegionCounterStatus =
  { readonly ok: true; readonly file: string } | { readonly ok: false; readonly reason: string; readonly fix: string };

const HEADERS = [
  { file: '/usr/include/node/node_api.h', fix: "Node's headers (Debian's nodejs package has them)" },
  { file: '/usr/include/valgrind/callgrind.h', fix: "valgrind's headers (Debian's valgrind package has them)" },
];

let built: RegionCounterStatus | undefined;

/** The built addon's path, or why it cannot be built here (and the fix). */
export function regionCounter(): RegionCounterStatus {
  built ??= build();
  return built;
}

function build(): RegionCounterStatus {
  const missing = HEADERS.find((h) => !fs.existsSync(h.file));
  if (missing) return { ok: false, reason: `${missing.file} is missing`, fix: `install ${missing.fix}` };
  const key = createHash('sha256').update(SOURCE).update(process.versions.modules).digest('hex').slice(0, 12);
  const dir = path.join(os.tmpdir(), `modelbench-region-counter-${key}`);
  const file = path.join(dir, 'region-counter.node');
  if (fs.existsSync(file)) return { ok: true, file };
  fs.mkdirSync(dir, { recursive: true });
  const source = path.join(dir, `region-counter-${process.pid}.c`);
  const partial = `${file}.${process.pid}`;
  fs.writeFileSync(source, SOURCE);
  const cc = spawnSync('cc', ['-O2', '-shared', '-fPIC', '-I/usr/include/node', '-o', partial, source], {
    encoding: 'utf8',
  });
  fs.rmSync(source, { force: true });
  if (cc.error)
    return { ok: false, reason: 'no C compiler (cc) to build the region counter', fix: 'apt-get install gcc' };
  if (cc.status !== 0) {
    const line = cc.stderr.trim().split('\n')[0] ?? '';
    return {
      ok: false,
      reason: `cc could not build the region counter: ${line}`,
      fix: 'apt-get install gcc libc6-dev',
    };
  }
  // Renamed into place whole: two runs building at once each see either no file or a complete one.
  fs.renameSync(partial, file);
  return { ok: true, file };
}
