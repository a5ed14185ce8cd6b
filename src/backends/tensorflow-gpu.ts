import { nativeBackend } from './tfjs-node-common.js';

export const tensorflowGpuBackend = nativeBackend({
  name: 'tensorflow-gpu',
  pkg: '@tensorflow/tfjs-node-gpu',
  requirement: 'libtensorflow 2.9.1 GPU build, CUDA 11.2 and cuDNN 8.1 on an NVIDIA GPU',
  deviceKind: 'gpu',
});
