// The labelled datasets every command knows by name (fit --data NAME, validate --data NAME): the
// committed breast-cancer fixtures (fixtures/breast-cancer/README.md: source and licence).
import path from 'node:path';
import { FIXTURES_DIR } from '../layout.js';
import type { Dataset } from '../types.js';
import { readLabelledCsv } from './csv-table.js';

export interface NamedDataset {
  readonly description: string;
  load(): Dataset;
}

export const NAMED_CLASSIFICATION_DATA: Readonly<Record<string, NamedDataset>> = {
  'breast-cancer': {
    description: 'Wisconsin breast cancer, 569 x 30, z-scored (the committed fixture)',
    load: () => readLabelledCsv(path.join(FIXTURES_DIR, 'breast-cancer', 'breast-cancer-zscored.csv')),
  },
  'breast-cancer-raw': {
    description: 'the same, unscaled: features from 0.0008 to 4254 (ill-conditioned)',
    load: () => readLabelledCsv(path.join(FIXTURES_DIR, 'breast-cancer', 'breast-cancer-raw.csv')),
  },
};
