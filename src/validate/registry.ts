// The only list of conformance checks, per model.
import { GAN_CHECKS } from './checks/gan.js';
import { LOGREG_CHECKS } from './checks/logreg.js';
import { SVM_CHECKS } from './checks/svm.js';
import type { Check } from './checks/types.js';
import { VAE_CHECKS } from './checks/vae.js';

export const CHECKS: readonly Check[] = [...LOGREG_CHECKS, ...SVM_CHECKS, ...VAE_CHECKS, ...GAN_CHECKS];

export const VALIDATED_MODELS = [...new Set(CHECKS.map((c) => c.model))];
