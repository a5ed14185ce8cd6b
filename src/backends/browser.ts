// The browser backends, as the Node side lists them: each runs in a fresh headless Chromium page that
// the browser host (src/browser/host.ts) starts per cell; the page starts the backend itself
// (src/browser/page-backends.ts). They cannot be started in a Node process.
import { type BackendSpec } from '../types.js';
import { BackendUnavailable } from '../errors.js';

/** Measured here (2 cores, no GPU): the three add about 9 minutes to the quick suite's 3. */
const BROWSER_OPT_IN =
  'each cell starts a headless Chromium, and without a GPU its WebGL and WebGPU run on SwiftShader, slowly';

function browserBackend(name: string, description: string): BackendSpec {
  return {
    name,
    description,
    host: 'browser',
    optIn: BROWSER_OPT_IN,
    async activate() {
      throw new BackendUnavailable(
        `${name} runs inside headless Chromium, not in this Node process`,
        `time it with \`modelbench run --backends ${name}\`; here use ${name.replace('browser-', '')}`,
      );
    },
  };
}

export const browserWasmBackend = browserBackend(
  'browser-wasm',
  'tfjs wasm in headless Chromium: SIMD and multi-threaded (the page is cross-origin isolated)',
);
export const browserWebglBackend = browserBackend(
  'browser-webgl',
  'tfjs WebGL in headless Chromium: the GPU through ANGLE/Vulkan, else SwiftShader on the CPU',
);
export const browserWebgpuBackend = browserBackend(
  'browser-webgpu',
  'tfjs WebGPU in headless Chromium, where the browser offers an adapter',
);
