// The environment a run happened in. It travels with every result (results.json in full, the key
// fields in every CSV row), so a CSV alone says where its numbers came from.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { installedVersion } from '../backends/versions.js';
import type { Seeds } from '../seeds.js';
import type { BackendRuntime } from '../types.js';
import { thisTestbed, type Testbed } from './testbed.js';
import { BUNDLE, ROOT } from '../layout.js';

export const RESULTS_FORMAT_VERSION = 1;
/** The checkout this harness runs from; a baseline checkout's runs record their own root instead. */
export const REPO_ROOT = ROOT;

export interface BackendContext {
  readonly name: string;
  readonly available: boolean;
  readonly runtime?: BackendRuntime;
  readonly reason?: string;
  readonly fix?: string;
}

export interface RunContext {
  readonly formatVersion: number;
  readonly runId: string;
  readonly timestamp: string;
  readonly modelbenchVersion: string;
  readonly gitSha: string;
  readonly gitDirty: boolean;
  readonly host: string;
  readonly cpuModel: string;
  readonly cpuCores: number;
  readonly memoryGiB: number;
  readonly os: string;
  /** What decides speed and the testbed id (absent in runs written before issue 34: shown as PRE_TESTBED). */
  readonly testbed?: Testbed;
  readonly nodeVersion: string;
  readonly tfjsVersion: string;
  readonly tinybenchVersion: string;
  readonly suite: string;
  /** False until the run has written its last row: a run killed half-way stays marked incomplete. */
  readonly complete?: boolean;
  readonly baseSeed: number;
  readonly seeds: Seeds;
  readonly options: Readonly<Record<string, unknown>>;
  backends: BackendContext[];
}

/**
 * A run id's time stamp, to the millisecond: 2026-11-29T01-02-03-456Z (the folder then made exclusive by RunWriter).
 */
export function runStamp(now: Date): string {
  return now.toISOString().replace(/[:.]/g, '-');
}

/**
 * A name as it may appear in a folder name: letters, digits, - and _ (anything else becomes -), never a path or an
 * escape sequence.
 */
export function slug(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 80) || 'unnamed';
}

function git(args: string[], root: string): string | undefined {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

export function makeContext(
  suite: string,
  baseSeed: number,
  seeds: Seeds,
  options: Record<string, unknown>,
  now = new Date(),
  root = REPO_ROOT,
): RunContext {
  // The bundle has no .git: it carries the commit it was built from.
  const sha = BUNDLE ? BUNDLE.commit : (git(['rev-parse', 'HEAD'], root) ?? 'unknown');
  const dirty = BUNDLE ? BUNDLE.dirty : (git(['status', '--porcelain', '--untracked-files=no'], root) ?? '') !== '';
  return {
    formatVersion: RESULTS_FORMAT_VERSION,
    runId: `${runStamp(now)}-${slug(suite)}-${slug(sha.slice(0, 7))}`,
    timestamp: now.toISOString(),
    modelbenchVersion: installedVersionOfSelf(root),
    gitSha: sha,
    gitDirty: dirty,
    host: os.hostname(),
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    cpuCores: os.cpus().length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    // `run --testbed NAME` reaches here through the resolved options, where it is also recorded.
    testbed: thisTestbed(typeof options.testbed === 'string' ? options.testbed : undefined),
    nodeVersion: process.version,
    tfjsVersion: installedVersion('@tensorflow/tfjs-core') ?? 'unknown',
    tinybenchVersion: installedVersion('tinybench') ?? 'unknown',
    suite,
    complete: false,
    baseSeed,
    seeds,
    options,
    backends: [],
  };
}

function installedVersionOfSelf(root: string): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
