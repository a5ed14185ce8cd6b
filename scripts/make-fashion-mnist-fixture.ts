// Cuts fixtures/fashion-mnist from Debian's dataset-fashion-mnist: the first 2048 training and 1024
// test images with their labels, in the original IDX format. Run: npx tsx scripts/make-fashion-mnist-fixture.ts
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { DEBIAN_FASHION_MNIST_DIR, FIXTURE_FASHION_MNIST_DIR } from '../src/data/fashion-mnist.js';
import { encodeIdx, readIdx } from '../src/data/idx.js';

const CUTS = [
  ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 2048],
  ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz', 1024],
] as const;

fs.mkdirSync(FIXTURE_FASHION_MNIST_DIR, { recursive: true });
for (const [images, labels, count] of CUTS) {
  const img = readIdx(path.join(DEBIAN_FASHION_MNIST_DIR, images), 3);
  const lab = readIdx(path.join(DEBIAN_FASHION_MNIST_DIR, labels), 1);
  const pixels = img.dims[1] * img.dims[2];
  const write = (file: string, dims: number[], data: Uint8Array) =>
    fs.writeFileSync(path.join(FIXTURE_FASHION_MNIST_DIR, file), zlib.gzipSync(encodeIdx(dims, data), { level: 9 }));
  write(images, [count, img.dims[1], img.dims[2]], img.data.subarray(0, count * pixels));
  write(labels, [count], lab.data.subarray(0, count));
}
console.log(`wrote ${FIXTURE_FASHION_MNIST_DIR}`);
