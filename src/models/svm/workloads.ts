// Placeholder list filled in below once the workloads exist.
import type { WorkloadSpec } from '../../types.js';

export const SVM_WORKLOADS: readonly WorkloadSpec[] = [];
