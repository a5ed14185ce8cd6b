// The only list of peers, and the step that turns a peer's answer into a row.
import { baseRow, errorMessage } from '../bench/run-cell.js';
import type { PeerCell, Timing } from '../bench/suite.js';
import type { Seeds } from '../seeds.js';
import { meanAndSd, quantile } from '../report/stats.js';
import type { Row } from '../types.js';
import { liblinearPeer } from './liblinear.js';
import { libsvmPeer } from './libsvm.js';
import { sklearnSvcPeer } from './sklearn-svc.js';
import { sklearnPeer } from './sklearn.js';
import { torchGanPeer } from './torch-gan.js';
import { torchVaePeer } from './torch-vae.js';
import type { PeerSpec } from './types.js';

export const PEERS: readonly PeerSpec[] = [sklearnPeer, sklearnSvcPeer, libsvmPeer, liblinearPeer, torchVaePeer, torchGanPeer];

export async function runPeerCell(cell: PeerCell, seeds: Seeds, timing: Timing): Promise<Row> {
  const row = baseRow(cell, { name: `peer:${cell.peer}`, version: '', device: '', deviceKind: 'cpu' }, seeds);
  const peer = PEERS.find((p) => p.name === cell.peer);
  if (!peer) return { ...row, status: 'errored', error: `unknown peer '${cell.peer}'; peers: ${PEERS.map((p) => p.name).join(', ')}` };
  if (!peer.models.includes(cell.model)) return { ...row, status: 'errored', error: `peer '${peer.name}' implements ${peer.models.join(', ')}, not ${cell.model}` };
  try {
    const r = await peer.run(cell, seeds, timing);
    if ('unavailable' in r) return { ...row, status: 'unavailable', error: `${r.unavailable}; fix: ${r.fix}` };
    const s = [...r.samplesMs].sort((a, b) => a - b);
    const n = s.length;
    const { mean, sd } = meanAndSd(s);
    const median = quantile(s, 0.5);
    return {
      ...row,
      backendVersion: r.version,
      device: r.device,
      samples: n,
      meanMs: mean,
      medianMs: median,
      p75Ms: quantile(s, 0.75),
      p99Ms: quantile(s, 0.99),
      minMs: s[0],
      maxMs: s[n - 1],
      sdMs: sd,
      // Same definition as tinybench's rme (normal approximation): 100 * 1.96 * sem / mean.
      rmePct: (100 * 1.96 * sd) / Math.sqrt(n) / mean,
      throughput: r.workPerRun / (median / 1000),
      throughputUnit: r.workUnit,
      objectiveName: r.objectiveName,
      objective: r.objective,
      oracleObjective: r.objective,
      check: 'n/a',
      iterations: r.iterations,
      rawSamples: [...r.samplesMs],
    };
  } catch (e) {
    return { ...row, status: 'errored', error: errorMessage(e) };
  }
}
