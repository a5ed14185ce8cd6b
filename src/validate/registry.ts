// The only list of conformance checks, per model.
import { GAN_CHECKS } from '../models/gan/checks.js';
import { LOGREG_CHECKS } from '../models/logistic-regression/checks.js';
import { SVM_CHECKS } from '../models/svm/checks.js';
import type { Check } from '../models/check.js';
import { VAE_CHECKS } from '../models/vae/checks.js';

export const CHECKS: readonly Check[] = [...LOGREG_CHECKS, ...SVM_CHECKS, ...VAE_CHECKS, ...GAN_CHECKS];

export const VALIDATED_MODELS = [...new Set(CHECKS.map((c) => c.model))];
