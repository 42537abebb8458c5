// Reads a tenant config from a JSON file. Every failure, including an unreadable file or broken JSON, is a
// ConfigError naming the file, so a launcher has one thing to catch and print.

import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ConfigError } from './config-error.js';
import { readConfigEnvironment } from './env.js';
import { parseTenantConfig } from './parse-tenant-config.js';
import type { TenantConfig } from './schema.js';

/** The demo tenant shipped with the repository (`packages/config/tenants/demo.json`). */
export const demoTenantPath = fileURLToPath(new URL('../tenants/demo.json', import.meta.url));

/** Most bytes a tenant file may have: a config is small; anything bigger is a mistake. */
const tenantFileBytesMax = 4 * 1024 * 1024;

export async function loadTenantConfig(path: string): Promise<TenantConfig> {
  let text: string;
  try {
    const bytes = await readFile(path);
    if (bytes.length > tenantFileBytesMax) {
      throw new ConfigError(
        [{ path: '(file)', message: `is ${bytes.length} bytes; at most ${tenantFileBytesMax}` }],
        path,
      );
    }
    text = bytes.toString('utf8');
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError([{ path: '(file)', message: `cannot be read: ${reason}` }], path);
  }
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError([{ path: '(file)', message: `is not valid JSON: ${reason}` }], path);
  }
  return parseTenantConfig(input, { source: path });
}

export function loadDemoTenantConfig(): Promise<TenantConfig> {
  return loadTenantConfig(demoTenantPath);
}

/** The config named by EXBOX_TENANT_CONFIG, or the demo tenant when it is unset. */
export function loadTenantConfigFromEnvironment(
  environment?: Readonly<Record<string, string | undefined>>,
): Promise<TenantConfig> {
  const { EXBOX_TENANT_CONFIG } = readConfigEnvironment(environment);
  return loadTenantConfig(EXBOX_TENANT_CONFIG ?? demoTenantPath);
}
