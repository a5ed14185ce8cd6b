// Noise drawn on the device: the integer streams equal a float64 host reference of Wichmann and Hill's
// generator exactly on every backend (a one-pass remainder is shown to be what that catches), the same
// seed gives the same draws, and the draws are standard normal (Kolmogorov-Smirnov, moments).
import assert from 'node:assert/strict';
import { it } from 'vitest';
import { DeviceNormals, initialStates, WICHMANN_HILL } from '../../src/models/device-normals.js';
import { normalCdf } from '../../src/oracles/normal.js';
import { describeEachBackend } from '../helpers/each-backend.js';

/** Host reference: `steps` advances of every stream, in float64 integer arithmetic. */
function referenceStates(seed: number, streams: number, steps: number): Float64Array {
  const s = Float64Array.from(initialStates(seed, streams));
  WICHMANN_HILL.forEach(({ a, m }, k) => {
    for (let i = 0; i < streams; i++) for (let t = 0; t < steps; t++) s[k * streams + i] = (a * s[k * streams + i]) % m;
  });
  return s;
}

/** Largest gap between the empirical CDF of `xs` and the standard normal's. */
function ksDistance(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  let d = 0;
  sorted.forEach((x, i) => {
    const f = normalCdf(x);
    d = Math.max(d, Math.abs(f - i / sorted.length), Math.abs(f - (i + 1) / sorted.length));
  });
  return d;
}

/** `count` successive draws read back as one list; the generator is disposed. */
async function drawValues(gen: DeviceNormals, count: number): Promise<number[]> {
  const out: number[] = [];
  for (let k = 0; k < count; k++) {
    const t = gen.next();
    out.push(...((await t.data()) as Float32Array));
    t.dispose();
  }
  gen.dispose();
  return out;
}

describeEachBackend('noise drawn on the device', (backend) => {
  it('holds exactly the host reference\'s integer states, refill after refill', async () => {
    const { tf } = backend;
    const shape = [64, 20] as const;
    const blockSteps = 4;
    const streams = 2 * blockSteps * shape[0] * shape[1];
    const gen = new DeviceNormals(tf, 7, shape, blockSteps);
    for (let refill = 1; refill <= 3; refill++) {
      for (let k = 0; k < blockSteps; k++) gen.next().dispose();
      assert.deepEqual(Array.from(await gen.states()), Array.from(referenceStates(7, streams, refill)), `after refill ${refill}`);
    }
    gen.dispose();
  });

  it('gives the same draws for the same seed and different ones for another seed', async () => {
    const { tf } = backend;
    const draws = (seed: number) => drawValues(new DeviceNormals(tf, seed, [32, 8], 2), 5);
    const a = await draws(11);
    assert.deepEqual(await draws(11), a);
    const b = await draws(12);
    assert.ok(a.filter((x, i) => x !== b[i]).length > 0.99 * a.length);
    // Successive draws of one stream differ (no block handed out twice).
    assert.notDeepEqual(a.slice(0, 256), a.slice(256, 512));
  });

  it('draws standard normals: Kolmogorov-Smirnov distance and moments within sampling error', async () => {
    const { tf } = backend;
    const xs = await drawValues(new DeviceNormals(tf, 20261129, [500, 20], 4), 8);
    const n = xs.length;
    // KS critical value at 0.001: 1.95 / sqrt(n).
    assert.ok(ksDistance(xs) < 1.95 / Math.sqrt(n), `KS ${ksDistance(xs)}`);
    const mean = xs.reduce((s, x) => s + x, 0) / n;
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / n;
    assert.ok(Math.abs(mean) < 4 / Math.sqrt(n), `mean ${mean}`);
    assert.ok(Math.abs(variance - 1) < 4 * Math.sqrt(2 / n), `variance ${variance}`);
    assert.ok(xs.every(Number.isFinite));
  });
});

it('the host reference tells a one-pass remainder (off by the modulus where a division rounds up) from the exact one', () => {
  // floor(r / m) computed one ulp high makes r - m * floor(r / m) negative: what the second pass mends.
  const { a, m } = WICHMANN_HILL[1];
  const s = 30306;
  const r = a * s;
  const exact = r % m;
  const roundedUp = r - m * (Math.floor(r / m) + 1);
  assert.notEqual(roundedUp, exact);
  const mended = roundedUp - m * Math.floor(roundedUp / m);
  assert.equal(mended, exact);
});
