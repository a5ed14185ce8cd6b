// Fashion-MNIST (Zalando, MIT): the full set from Debian's dataset-fashion-mnist when installed, else
// the subset committed in fixtures/fashion-mnist, with a note saying how to get the full set.
import fs from 'node:fs';
import path from 'node:path';
import { FIXTURES_DIR } from '../layout.js';
import type { Dataset } from '../types.js';
import { DataError } from '../errors.js';
import { readIdx } from './idx.js';

export const FASHION_MNIST_ENV = 'MODELBENCH_FASHION_MNIST_DIR';
export const DEBIAN_FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';
export const FIXTURE_FASHION_MNIST_DIR = path.join(FIXTURES_DIR, 'fashion-mnist');
export const FULL_SET_HINT =
  'apt-get install dataset-fashion-mnist (Debian), or set ' +
  'MODELBENCH_FASHION_MNIST_DIR to a folder with the four *-ubyte.gz ' +
  'files';

export interface ImageSplit {
  readonly train: Dataset;
  readonly test: Dataset;
  readonly source: string;
  /** Set when the committed subset stands in for the full set. */
  readonly note?: string;
}

const FILES = {
  trainImages: 'train-images-idx3-ubyte.gz',
  trainLabels: 'train-labels-idx1-ubyte.gz',
  testImages: 't10k-images-idx3-ubyte.gz',
  testLabels: 't10k-labels-idx1-ubyte.gz',
} as const;

function hasAll(dir: string): boolean {
  return Object.values(FILES).every((f) => fs.existsSync(path.join(dir, f)));
}

export function fashionMnistDir(): { dir: string; full: boolean } {
  const override = process.env[FASHION_MNIST_ENV];
  if (override) {
    if (!hasAll(override))
      throw new DataError(
        `${override} (from ${FASHION_MNIST_ENV}): expected ` +
          `${Object.values(FILES).join(', ')}; point the variable at a folder ` +
          `holding all four`,
      );
    return { dir: override, full: true };
  }
  if (hasAll(DEBIAN_FASHION_MNIST_DIR)) return { dir: DEBIAN_FASHION_MNIST_DIR, full: true };
  return { dir: FIXTURE_FASHION_MNIST_DIR, full: false };
}

/** Pixels scaled to [0, 1] (x / 255), row-major 784 per image; y holds the class 0..9. */
function split(dir: string, images: string, labels: string, name: string): Dataset {
  const imageFile = path.join(dir, images);
  const labelFile = path.join(dir, labels);
  const img = readIdx(imageFile, 3);
  const lab = readIdx(labelFile, 1);
  const [count, height, width] = img.dims;
  if (lab.dims[0] !== count) {
    throw new DataError(
      `${labelFile}: ${lab.dims[0]} labels for ${count} images in ${imageFile}; the two files come from different sets`,
    );
  }
  const cols = height * width;
  const x = new Float64Array(count * cols);
  for (let i = 0; i < x.length; i++) x[i] = img.data[i] / 255;
  const featureNames = Array.from({ length: cols }, (_, j) => `px${Math.floor(j / width)}_${j % width}`);
  return { name, rows: count, cols, x, y: Float64Array.from(lab.data), featureNames };
}

export function loadFashionMnist(): ImageSplit {
  const { dir, full } = fashionMnistDir();
  const train = split(dir, FILES.trainImages, FILES.trainLabels, 'fashion-mnist/train');
  const test = split(dir, FILES.testImages, FILES.testLabels, 'fashion-mnist/test');
  return {
    train,
    test,
    source: dir,
    note: full
      ? undefined
      : `the full Fashion-MNIST is not installed; using the ${train.rows}+` +
        `${test.rows}-image subset in fixtures/fashion-mnist. For the full ` +
        `set: ${FULL_SET_HINT}`,
  };
}

/** The committed subset alone: benchmark cells use it so that their data is the same on every machine. */
export function loadFashionMnistFixture(): ImageSplit {
  return {
    train: split(FIXTURE_FASHION_MNIST_DIR, FILES.trainImages, FILES.trainLabels, 'fashion-mnist-fixture/train'),
    test: split(FIXTURE_FASHION_MNIST_DIR, FILES.testImages, FILES.testLabels, 'fashion-mnist-fixture/test'),
    source: FIXTURE_FASHION_MNIST_DIR,
  };
}
