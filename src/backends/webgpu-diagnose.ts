// Why Dawn found no adapter: the usual missing pieces on Linux, checked on disk, each with its fix.
import fs from 'node:fs';

const LIB_DIRS = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib'];
const ICD_DIRS = ['/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d'];

function hasLib(name: string): boolean {
  return LIB_DIRS.some((dir) => fs.existsSync(`${dir}/${name}`));
}

function icds(): string[] {
  return ICD_DIRS.flatMap((dir) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')) : []));
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
    fixes.push('for a GPU: apt-get install libvulkan1 and the GPU driver\'s Vulkan ICD (NVIDIA: the driver package\'s nvidia_icd.json)');
  } else if (icds().length === 0) {
    problems.push('a Vulkan loader but no ICD in /usr/share/vulkan/icd.d or /etc/vulkan/icd.d');
    fixes.push('install the GPU driver\'s Vulkan ICD');
  } else {
    problems.push(`Vulkan ICDs present (${icds().join(', ')}) but no adapter accepted (Debian 12's lavapipe lacks a feature Dawn requires)`);
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
