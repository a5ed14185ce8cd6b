// @tensorflow/tfjs-node and -gpu are optional: their install downloads libtensorflow, which fails
// offline. Detect them when present; otherwise say why and how to install them from local copies.
import type { BackendSpec, Tf } from '../types.js';
import { BackendUnavailable } from '../errors.js';
import { loadTf, switchTo } from './activate-tfjs.js';
import { FLOAT32_RELATIVE_TOLERANCE } from './tolerance.js';
import { installedVersion } from './versions.js';

const OFFLINE_INSTALL =
  'offline: put libtensorflow-<cpu|gpu>-linux-x86_64-2.9.1.tar.gz in a ' +
  'folder and set TFJS_NODE_BASE_URI=file:///that/folder/, ' +
  'and the prebuilt addon via npm_config_tfjs_binding_binary_host_mirror=file:///folder/ before `npm install`';

export interface NativeFlavour {
  readonly name: string;
  readonly pkg: string;
  readonly requirement: string;
  readonly deviceKind: 'cpu' | 'gpu';
}

export function nativeBackend(flavour: NativeFlavour): BackendSpec {
  const fix =
    `npm install ${flavour.pkg}@4.22.0 (${flavour.requirement}; its ` +
    `install script downloads libtensorflow 2.9.1; ${OFFLINE_INSTALL})`;
  return {
    name: flavour.name,
    description: `native TensorFlow through ${flavour.pkg} (${flavour.requirement})`,
    async activate() {
      const version = installedVersion(flavour.pkg);
      if (!version) throw new BackendUnavailable(`${flavour.pkg} is not installed`, fix);
      const tf: Tf = await loadTf();
      try {
        // A string specifier: the package is optional and absent from the lock file.
        const pkg: string = flavour.pkg;
        await import(pkg);
      } catch (e) {
        const message = e instanceof Error ? e.message.split('\n')[0] : String(e);
        throw new BackendUnavailable(`${flavour.pkg} ${version} is installed but failed to load: ${message}`, fix);
      }
      await switchTo(tf, 'tensorflow', fix);
      return {
        tf,
        runtime: {
          name: flavour.name,
          version,
          device: flavour.deviceKind === 'gpu' ? 'CUDA device via libtensorflow' : 'CPU via libtensorflow',
          deviceKind: flavour.deviceKind,
          relativeTolerance: FLOAT32_RELATIVE_TOLERANCE,
          details: {},
        },
      };
    },
  };
}
