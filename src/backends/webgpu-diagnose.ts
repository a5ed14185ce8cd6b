// Why Dawn found no adapter: the usual missing pieces on Linux, checked on disk, each with its fix.
import fs from 'node:fs';

const LIB_DIRS = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib'];
// The last one is where NVIDIA's container toolkit mounts the driver's ICD.
const ICD_DIRS = ['/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d', '/usr/local/nvidia/share/vulkan/icd.d'];
/** The Vulkan loader's own variables naming ICD files directly (the second is the older name). */
const ICD_ENV = ['VK_DRIVER_FILES', 'VK_ICD_FILENAMES'];

function hasLib(name: string): boolean {
  return LIB_DIRS.some((dir) => fs.existsSync(`${dir}/${name}`));
}

function icds(): string[] {
  const named = ICD_ENV.flatMap((v) => (process.env[v] ?? '').split(':')).filter((f) => f && fs.existsSync(f));
  return [
    ...named,
    ...ICD_DIRS.flatMap((dir) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')) : [])),
  ];
}

/** A Vulkan loader and at least one ICD: without both, Dawn's Vulkan back-end has nothing to find. */
export function vulkanPresent(): boolean {
  return hasLib('libvulkan.so.1') && icds().length > 0;
}

export function diagnoseWebgpu(): { reason: string; fix: string } {
  const problems: string[] = [];
  const fixes: string[] = [];
  if (!hasLib('libvulkan.so.1')) {
    problems.push('no Vulkan loader (libvulkan.so.1)');
    fixes.push(
      "for a GPU: apt-get install libvulkan1 and the GPU driver's Vulkan ICD " +
        "(NVIDIA: the driver package's nvidia_icd.json)",
    );
  } else if (icds().length === 0) {
    problems.push(`a Vulkan loader but no ICD in ${ICD_DIRS.join(', ')} or named by ${ICD_ENV.join('/')}`);
    fixes.push(
      "install the GPU driver's Vulkan ICD, or point VK_DRIVER_FILES at its " +
        'JSON (NVIDIA containers: ' +
        '/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json)',
    );
  } else {
    problems.push(
      `Vulkan ICDs present (${icds().join(', ')}) but no adapter accepted ` +
        `(Debian 12's lavapipe lacks a feature Dawn requires)`,
    );
  }
  if (!hasLib('libEGL.so.1') || !hasLib('libEGL_mesa.so.0')) {
    problems.push('no EGL (libEGL.so.1 / libEGL_mesa.so.0) for the OpenGL ES fallback');
    fixes.push('for CPU emulation through Mesa llvmpipe: apt-get install libegl1 libegl-mesa0 libgl1-mesa-dri');
  } else {
    problems.push('Mesa EGL present but the OpenGL ES adapter was refused');
    fixes.push('run with EGL_PLATFORM=surfaceless (modelbench sets it when unset)');
  }
  return { reason: `WebGPU (Dawn) found no adapter: ${problems.join('; ')}`, fix: fixes.join('; ') };
}

/** NVIDIA's container toolkit mounts the driver's Vulkan ICD and EGL vendor file where the loaders do
 *  not look: name them for the loaders (in this process's environment, read when Dawn starts them). */
export function pointLoadersAtNvidia(): void {
  const icd = '/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json';
  const egl = '/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json';
  if (fs.existsSync(icd) && !ICD_ENV.some((v) => process.env[v])) process.env.VK_DRIVER_FILES = icd;
  if (fs.existsSync(egl) && !process.env.__EGL_VENDOR_LIBRARY_FILENAMES) {
    const mesa = '/usr/share/glvnd/egl_vendor.d/50_mesa.json';
    process.env.__EGL_VENDOR_LIBRARY_FILENAMES = fs.existsSync(mesa) ? `${egl}:${mesa}` : egl;
  }
}

/** Why Dawn ran on a software adapter rather than a GPU, and what to install: for the context and
 *  `modelbench backends` when webgpu works but is not a GPU. */
export function whyNoGpu(): { reason: string; fix: string } {
  if (!hasLib('libvulkan.so.1')) {
    return {
      reason: 'no Vulkan loader (libvulkan.so.1), so Dawn could not look for a GPU',
      fix: "apt-get install libvulkan1, and the GPU driver's Vulkan ICD",
    };
  }
  if (icds().length === 0) {
    return {
      reason: `a Vulkan loader but no ICD (looked in ${ICD_DIRS.join(', ')} and ${ICD_ENV.join('/')})`,
      fix: "install the GPU driver's Vulkan ICD, or set VK_DRIVER_FILES to its JSON",
    };
  }
  return {
    reason:
      `Vulkan ICDs present (${icds().join(', ')}) but Dawn accepted no ` +
      `Vulkan adapter (e.g. Debian 12's lavapipe lacks a feature it needs)`,
    fix: 'check the GPU driver with vulkaninfo; MODELBENCH_WEBGPU_BACKEND=vulkan shows the error',
  };
}
