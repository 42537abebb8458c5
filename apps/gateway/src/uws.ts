// Loads uWebSockets.js's native binary, and only that. The package we depend on (an unofficial npm build of
// uWebSockets.js v20.30) silently falls back to a slow pure-JS implementation when its binary cannot load;
// an exchange gateway on that fallback would miss every throughput target without telling anyone, so we load
// the binary ourselves and refuse to start without it.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as UwsModule from 'uWebSockets.js';

export type Uws = typeof UwsModule;

const require = createRequire(import.meta.url);

export class NativeUwsUnavailableError extends Error {
  override name = 'NativeUwsUnavailableError';
}

let loaded: Uws | null = null;

/** The native uWebSockets.js module; throws NativeUwsUnavailableError rather than fall back to JavaScript. */
export const loadNativeUws = (): Uws => {
  if (loaded !== null) return loaded;
  const fallbackFlag = process.env.UWS_USE_FALLBACK;
  if (
    fallbackFlag !== undefined &&
    fallbackFlag !== '' &&
    fallbackFlag.toLowerCase() !== 'false' &&
    fallbackFlag !== '0'
  ) {
    throw new NativeUwsUnavailableError(
      `UWS_USE_FALLBACK=${fallbackFlag} asks for uWebSockets.js's JavaScript fallback; the gateway runs only on the native build (unset it)`,
    );
  }
  const packageDirectory = dirname(require.resolve('uWebSockets.js/package.json'));
  const binary = join(
    packageDirectory,
    'binaries',
    `uws_${process.platform}_${process.arch}_${process.versions.modules}.node`,
  );
  let module: Uws;
  try {
    module = require(binary) as Uws;
  } catch (error) {
    throw new NativeUwsUnavailableError(
      `uWebSockets.js has no native build for this platform (${process.platform}-${process.arch}, Node ABI ${process.versions.modules}; ` +
        `tried ${binary}): ${(error as Error).message}. Use Node 20 (ABI 115) on linux-x64, linux-arm64 or darwin.`,
      { cause: error },
    );
  }
  if (typeof module.App !== 'function' || typeof module.us_listen_socket_close !== 'function') {
    throw new NativeUwsUnavailableError(`${binary} loaded but is not uWebSockets.js`);
  }
  loaded = module;
  return module;
};
