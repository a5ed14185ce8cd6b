// The only list of backends. Adding one: a file exporting a BackendSpec, and a line here.
import type { BackendSpec } from '../types.js';
import { browserWasmBackend, browserWebglBackend, browserWebgpuBackend } from './browser.js';
import { cpuBackend } from './cpu.js';
import { tensorflowGpuBackend } from './tensorflow-gpu.js';
import { tensorflowBackend } from './tensorflow.js';
import { wasmBackend } from './wasm.js';
import { webgpuBackend } from './webgpu.js';

export const BACKENDS: readonly BackendSpec[] = [
  cpuBackend,
  wasmBackend,
  webgpuBackend,
  browserWasmBackend,
  browserWebglBackend,
  browserWebgpuBackend,
  tensorflowBackend,
  tensorflowGpuBackend,
];

export function backendByName(name: string): BackendSpec | undefined {
  return BACKENDS.find((b) => b.name === name);
}
