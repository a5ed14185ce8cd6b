// The backends as a Chromium page starts them: tfjs's WebGL, WebGPU and multi-threaded wasm builds,
// each describing the device it found (a software renderer is marked, as webgpu on llvmpipe is in Node).
import { loadTf, switchTo } from '../backends/activate-tfjs.js';
import { SOFTWARE_RENDERER } from '../backends/software-renderer.js';
import { FLOAT32_RELATIVE_TOLERANCE } from '../backends/tolerance.js';
import { installedVersion } from '../backends/versions.js';
import { installTransposeFirstMatMul, NATIVE_TRANSPOSE_ENV } from '../backends/wasm-transpose-first.js';
import { type BackendRuntime, type BackendSpec, type Tf } from '../types.js';
import { BackendUnavailable } from '../errors.js';
import { browserInfo } from './page-info.js';

type Activate = BackendSpec['activate'];

/** The thread count browser-wasm asks for (default: the page's navigator.hardwareConcurrency). */
export const BROWSER_WASM_THREADS_ENV = 'MODELBENCH_BROWSER_WASM_THREADS';

/** tfjs's testEpsilon for a float16 WebGL device (tfjs-core test_util.ts). */
const FLOAT16_RELATIVE_TOLERANCE = 1e-1;

/** Where a page's backend computes: the CPU (wasm), a software renderer on the CPU, or a GPU. */
type Where = 'cpu' | 'software-renderer' | 'gpu';

function runtime(
  name: string,
  tfPackage: string,
  device: string,
  where: Where,
  tolerance: number,
  details: Record<string, string>,
): BackendRuntime {
  const info = browserInfo();
  const software = where === 'software-renderer';
  return {
    name,
    version: `${tfPackage} ${installedVersion(tfPackage) ?? '?'}, ${info.browserVersion}`,
    device: software ? `${device} (software renderer on the CPU, not a GPU)` : device,
    deviceKind: where === 'gpu' ? 'gpu' : 'cpu',
    relativeTolerance: tolerance,
    details: {
      browser: info.browserVersion,
      chromiumFlags: info.flags.join(' '),
      crossOriginIsolated: String(globalThis.crossOriginIsolated),
      ...details,
      ...(software
        ? {
            noGpuReason: `Chromium renders with ${device}: it found no GPU driver it could use`,
            noGpuFix:
              "on a GPU machine install the Vulkan loader and the driver's ICD " +
              '(apt-get install libvulkan1; NVIDIA: nvidia_icd.json); ' +
              'MODELBENCH_CHROMIUM_FLAGS adds Chromium flags to try',
          }
        : {}),
    },
  };
}

const rendererKind = (label: string, fallback = false): Where =>
  SOFTWARE_RENDERER.test(label) || fallback ? 'software-renderer' : 'gpu';

const webgl: Activate = async () => {
  const tf = await loadTf();
  await switchTo(
    tf,
    'webgl',
    'Chromium found no WebGL2 context: see `modelbench backends`; on a GPU ' +
      'machine check that Vulkan or EGL drivers are installed',
  );
  const gl = (tf.backend() as unknown as { gpgpu: { gl: WebGL2RenderingContext } }).gpgpu.gl;
  const debug = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  const vendor = String(gl.getParameter(debug ? debug.UNMASKED_VENDOR_WEBGL : gl.VENDOR));
  const float32 = tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED');
  return {
    tf,
    runtime: runtime(
      'browser-webgl',
      '@tensorflow/tfjs-backend-webgl',
      renderer,
      rendererKind(renderer),
      float32 ? FLOAT32_RELATIVE_TOLERANCE : FLOAT16_RELATIVE_TOLERANCE,
      {
        renderer,
        vendor,
        webglVersion: String(tf.env().getNumber('WEBGL_VERSION')),
        float32Textures: String(float32),
      },
    ),
  };
};

interface GpuAdapter {
  info?: { vendor: string; architecture: string; device: string; description: string; isFallbackAdapter?: boolean };
}

const webgpu: Activate = async () => {
  const gpu = (navigator as unknown as { gpu?: { requestAdapter(o?: object): Promise<GpuAdapter | null> } }).gpu;
  const fix =
    'Chromium needs a WebGPU adapter: on a GPU machine install the Vulkan ' +
    'driver (libvulkan1 and the vendor ICD); MODELBENCH_CHROMIUM_FLAGS ' +
    'adds flags to try';
  if (!gpu)
    throw new BackendUnavailable(`${browserInfo().browserVersion} offers no navigator.gpu on this machine`, fix);
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter)
    throw new BackendUnavailable(`${browserInfo().browserVersion} offers navigator.gpu but no adapter here`, fix);
  const tf = await loadTf();
  await import('@tensorflow/tfjs-backend-webgpu');
  await switchTo(tf, 'webgpu', fix);
  const i = adapter.info ?? { vendor: '', architecture: '', device: '', description: '' };
  const label = [i.vendor, i.architecture, i.device, i.description].filter(Boolean).join(' / ') || 'unnamed adapter';
  return {
    tf,
    runtime: runtime(
      'browser-webgpu',
      '@tensorflow/tfjs-backend-webgpu',
      label,
      rendererKind(label, Boolean(i.isFallbackAdapter)),
      FLOAT32_RELATIVE_TOLERANCE,
      {
        vendor: i.vendor,
        architecture: i.architecture,
        adapterDevice: i.device,
        adapterDescription: i.description,
        fallbackAdapter: String(Boolean(i.isFallbackAdapter)),
      },
    ),
  };
};

const wasm: Activate = async () => {
  const tf: Tf = await loadTf();
  const backend = await import('@tensorflow/tfjs-backend-wasm');
  backend.setWasmPaths('/wasm/');
  // One thread per logical core unless told otherwise. The threaded build exists only when the page is
  // cross-origin isolated (SharedArrayBuffer), which the host's COOP/COEP headers make it. tfjs caps the
  // pool at half of navigator.hardwareConcurrency (it assumes two hardware threads per core: 1 thread on
  // a 2-vCPU machine), so for its start-up the page shows it twice the count wanted.
  const logical = navigator.hardwareConcurrency || 1;
  const asked = process.env[BROWSER_WASM_THREADS_ENV];
  const wanted = asked ? Number(asked) : logical;
  if (!Number.isInteger(wanted) || wanted < 1)
    throw new BackendUnavailable(
      `${BROWSER_WASM_THREADS_ENV}=${asked} is not a positive whole number of threads`,
      `set ${BROWSER_WASM_THREADS_ENV} to 1..8, or unset it for one per core (${logical} here)`,
    );
  backend.setThreadsCount(wanted);
  Object.defineProperty(navigator, 'hardwareConcurrency', { value: 2 * wanted, configurable: true });
  try {
    await switchTo(
      tf,
      'wasm',
      'the page could not load the tfjs .wasm files from the browser host: rebuild them with `npm ci`',
    );
  } finally {
    delete (navigator as unknown as Record<string, unknown>).hardwareConcurrency;
  }
  const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  const multi = Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'));
  const threads = multi ? backend.getThreadsCount() : 1;
  const nativeTranspose = process.env[NATIVE_TRANSPOSE_ENV] === '1';
  if (!nativeTranspose) installTransposeFirstMatMul(tf);
  const cpu = browserInfo().cpuModel;
  return {
    tf,
    runtime: runtime(
      'browser-wasm',
      '@tensorflow/tfjs-backend-wasm',
      `${cpu} (wasm${simd ? ' SIMD' : ''}, ${threads} thread` +
        `${threads === 1 ? '' : 's'}` +
        `${nativeTranspose ? ', tfjs transposed matMul' : ''})`,
      'cpu',
      FLOAT32_RELATIVE_TOLERANCE,
      {
        simd: String(simd),
        threads: String(threads),
        threadsSupported: String(multi),
        logicalCores: String(logical),
        matmul: nativeTranspose ? 'tfjs-native-transpose' : 'transpose-first',
      },
    ),
  };
};

/** By the names the Node side lists them under (src/backends/browser.ts). */
export const PAGE_BACKENDS: Readonly<Record<string, Activate>> = {
  'browser-webgl': webgl,
  'browser-webgpu': webgpu,
  'browser-wasm': wasm,
};
