// The only list of conformance checks, per model.
import { LOGREG_CHECKS } from './checks/logreg.js';
import { SVM_CHECKS } from './checks/svm.js';
import type { Check } from './checks/types.js';

export const CHECKS: readonly Check[] = [...LOGREG_CHECKS, ...SVM_CHECKS];

export const VALIDATED_MODELS = [...new Set(CHECKS.map((c) => c.model))];
