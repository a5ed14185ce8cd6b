// WebGPU through Dawn (npm `webgpu`). A real GPU comes through Vulkan; without one, Mesa's llvmpipe
// through EGL/OpenGL ES in compatibility mode (DESIGN.md §5). navigator.gpu must exist before
// @tensorflow/tfjs-backend-webgpu is imported, since it registers itself only when it sees one.
import type { BackendSpec, Tf } from '../types.js';
import { BackendUnavailable } from '../errors.js';
import { loadTf, switchTo } from './activate-tfjs.js';
import { FLOAT32_RELATIVE_TOLERANCE } from './tolerance.js';
import { SOFTWARE_RENDERER } from './software-renderer.js';
import { installedVersion } from './versions.js';
import { diagnoseWebgpu, pointLoadersAtNvidia, vulkanPresent, whyNoGpu } from './webgpu-diagnose.js';

interface AdapterInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter?: boolean;
}
interface Adapter {
  info: AdapterInfo;
}
interface Gpu {
  requestAdapter(options?: Record<string, unknown>): Promise<Adapter | null>;
}

/** Which Dawn back-end to use; MODELBENCH_WEBGPU_BACKEND=vulkan|opengles forces one. */
function dawnBackends(): string[] {
  const forced = process.env.MODELBENCH_WEBGPU_BACKEND;
  if (forced) return [forced];
  // Dawn's Vulkan back-end, started with no Vulkan loader, was seen to crash the process later
  // (SIGSEGV in BackendVk.cpp under load): only start it when there is something to find.
  return vulkanPresent() ? ['vulkan', 'opengles'] : ['opengles'];
}

/** Dawn instances live as long as the process: a collected instance must not take the device with it. */
const instances: Gpu[] = [];

async function findAdapter(): Promise<
  { gpu: Gpu; adapter: Adapter; dawnBackend: string; featureLevel: string } | undefined
> {
  process.env.EGL_PLATFORM ??= 'surfaceless';
  pointLoadersAtNvidia();
  const { create, globals } = (await import('webgpu')) as unknown as {
    create(flags: string[]): Gpu;
    globals: Record<string, unknown>;
  };
  Object.assign(globalThis, globals);
  for (const dawnBackend of dawnBackends()) {
    const gpu = create([`backend=${dawnBackend}`]);
    instances.push(gpu);
    for (const featureLevel of ['core', 'compatibility']) {
      const adapter = await gpu.requestAdapter({ featureLevel, powerPreference: 'high-performance' });
      if (adapter) return { gpu, adapter, dawnBackend, featureLevel };
    }
  }
  return undefined;
}

function noGpuDetails(): { noGpuReason: string; noGpuFix: string } {
  const { reason, fix } = whyNoGpu();
  return { noGpuReason: reason, noGpuFix: fix };
}

export const webgpuBackend: BackendSpec = {
  name: 'webgpu',
  description: 'WebGPU through Dawn (npm webgpu): Vulkan on a GPU, else Mesa llvmpipe through OpenGL ES',
  softwareOnlyHere() {
    return vulkanPresent() ? undefined : whyNoGpu().reason;
  },
  async activate() {
    const found = await findAdapter();
    if (!found) {
      const { reason, fix } = diagnoseWebgpu();
      throw new BackendUnavailable(reason, fix);
    }
    const { adapter, dawnBackend, featureLevel } = found;
    // tfjs asks for an adapter with its own options; hand it the one we chose.
    const shim = { requestAdapter: async () => adapter, getPreferredCanvasFormat: () => 'rgba8unorm' };
    Object.defineProperty(globalThis, 'navigator', { value: { gpu: shim }, configurable: true, writable: true });
    const tf: Tf = await loadTf();
    await import('@tensorflow/tfjs-backend-webgpu');
    await switchTo(tf, 'webgpu', 'see `modelbench backends` for what the WebGPU adapter needs');
    const info = adapter.info;
    const label = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' / ');
    const software = SOFTWARE_RENDERER.test(label) || Boolean(info.isFallbackAdapter);
    return {
      tf,
      runtime: {
        name: 'webgpu',
        version:
          `tfjs-backend-webgpu ` +
          `${installedVersion('@tensorflow/tfjs-backend-webgpu') ?? '?'}, webgpu ` +
          `(Dawn) ${installedVersion('webgpu') ?? '?'}`,
        device: software ? `${label} (software rasteriser on the CPU, not a GPU)` : label,
        deviceKind: software ? 'cpu' : 'gpu',
        relativeTolerance: FLOAT32_RELATIVE_TOLERANCE,
        details: {
          dawnBackend,
          featureLevel,
          vendor: info.vendor,
          architecture: info.architecture,
          adapterDevice: info.device,
          adapterDescription: info.description,
          fallbackAdapter: String(Boolean(info.isFallbackAdapter)),
          ...(software ? noGpuDetails() : {}),
        },
      },
    };
  },
};
