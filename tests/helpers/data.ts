import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BREAST_CANCER = path.join(REPO, 'fixtures/breast-cancer/breast-cancer-zscored.csv');
export const GOLDEN = JSON.parse(fs.readFileSync(path.join(REPO, 'fixtures/breast-cancer/golden.json'), 'utf8')) as {
  logreg: { C: number; objective: number; relative_tolerance: number };
};
