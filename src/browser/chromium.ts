// Finding the system's Chromium (never a downloaded one) and the flags a backend's page needs.
import fs from 'node:fs';
import { vulkanPresent } from '../backends/webgpu-diagnose.js';

export const CHROMIUM_ENV = 'MODELBENCH_CHROMIUM';
export const CHROMIUM_FLAGS_ENV = 'MODELBENCH_CHROMIUM_FLAGS';
const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
];

export const CHROMIUM_FIX =
  `apt-get install chromium (Debian), or set ${CHROMIUM_ENV} to a ` + `Chromium or Chrome executable`;

/** The executable, or why there is none. */
export function findChromium(): { path: string } | { reason: string } {
  const given = process.env[CHROMIUM_ENV];
  if (given) return fs.existsSync(given) ? { path: given } : { reason: `${CHROMIUM_ENV}=${given} does not exist` };
  const found = CANDIDATES.find((p) => fs.existsSync(p));
  return found ? { path: found } : { reason: `no Chromium found (looked for ${CANDIDATES.join(', ')})` };
}

/**
 * On a machine with a Vulkan driver, ANGLE and WebGPU go through it (the real GPU); without one,
 * through SwiftShader (WebGL on the CPU), which the page then reports as a software renderer.
 */
export function chromiumFlags(): string[] {
  const gpu = vulkanPresent()
    ? [
        '--use-angle=vulkan',
        '--enable-features=Vulkan,VulkanFromANGLE,DefaultANGLEVulkan',
        '--ignore-gpu-blocklist',
        '--enable-unsafe-webgpu',
      ]
    : ['--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--enable-unsafe-webgpu'];
  const extra = (process.env[CHROMIUM_FLAGS_ENV] ?? '').split(/\s+/).filter(Boolean);
  // Timers and rendering of a page nobody looks at are throttled by default: not while it is timed.
  return [
    ...gpu,
    '--disable-background-timer-throttling',
    '--disable-renderer-backgrounding',
    '--disable-backgrounding-occluded-windows',
    ...extra,
  ];
}
