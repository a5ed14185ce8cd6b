import { nativeBackend } from './tfjs-node-common.js';

export const tensorflowBackend = nativeBackend({
  name: 'tensorflow',
  pkg: '@tensorflow/tfjs-node',
  requirement: 'libtensorflow 2.9.1 CPU build',
  deviceKind: 'cpu',
});
