// The exact generator density the GAN checks judge by: for an affine generator it is the Gaussian
// N(b, a^2) bin by bin; a flat generator puts all its mass in one bin; a folded one (|z|) counts both branches.
import assert from 'node:assert/strict';
import { fc, test } from '@fast-check/vitest';
import { describe, it } from 'vitest';
import { generatorDensity, noiseGrid } from '../../src/models/gan/generator-density.js';
import { normalCdf } from '../../src/oracles/normal.js';

const z = noiseGrid();

describe('generatorDensity', () => {
  test.prop([fc.double({ min: 0.05, max: 20, noNaN: true }), fc.double({ min: -50, max: 50, noNaN: true }), fc.boolean()])('an affine generator a z + b has the masses of N(b, a^2)', (a, b, flip) => {
    const slope = flip ? -a : a;
    const g = generatorDensity(z, z.map((v) => slope * v + b));
    const lo = b - 3 * a;
    const hi = b + 3 * a;
    const masses = g.binned(lo, hi, 60);
    masses.forEach((m, k) => {
      const expected = normalCdf((lo + ((k + 1) * (hi - lo)) / 60 - b) / a) - normalCdf((lo + (k * (hi - lo)) / 60 - b) / a);
      assert.ok(Math.abs(m - expected) <= 1e-6, `bin ${k}: ${m} vs ${expected}`);
    });
  });

  it('a constant generator is a point mass: one bin holds all of it', () => {
    const masses = generatorDensity(z, z.map(() => 1.234)).binned(0, 2, 100);
    const k = Math.floor(1.234 / 0.02);
    assert.ok(Math.abs(masses[k] - 1) < 1e-9, `bin ${k}: ${masses[k]}`);
    assert.ok(Math.abs(masses.reduce((s, m) => s + m, 0) - 1) < 1e-9);
  });

  it('a folded generator |z| counts both branches: the half-normal', () => {
    const masses = generatorDensity(z, z.map(Math.abs)).binned(0, 1, 1);
    assert.ok(Math.abs(masses[0] - (2 * normalCdf(1) - 1)) < 1e-6, `${masses[0]}`);
  });
});
