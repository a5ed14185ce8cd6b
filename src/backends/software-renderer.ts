// GPU backends that can land on a renderer running on the CPU: their timings say nothing about a GPU.
/** Adapter or renderer strings of software renderers (Mesa's llvmpipe/lavapipe/softpipe, Chromium's SwiftShader). */
export const SOFTWARE_RENDERER = /llvmpipe|lavapipe|swiftshader|softpipe/i;
