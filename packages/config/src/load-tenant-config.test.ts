// Proves the file loader: the demo tenant loads from its exported path and through the environment variable, and
// unreadable files, broken JSON and bad environment values each fail with a clear, named error. Uses temporary
// files under the OS temp directory.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ConfigError,
  demoTenantPath,
  loadDemoTenantConfig,
  loadTenantConfig,
  loadTenantConfigFromEnvironment,
  readConfigEnvironment,
} from './index.js';

const directory = mkdtempSync(join(tmpdir(), 'exbox-config-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('loadTenantConfig', () => {
  it('loads the demo tenant', async () => {
    expect(demoTenantPath).toMatch(/packages\/config\/tenants\/demo\.json$/);
    const config = await loadDemoTenantConfig();
    expect(config.branding.defaultMarket).toBe('BTCUSDT');
  });

  it('names the file when it cannot be read', async () => {
    const path = join(directory, 'missing.json');
    await expect(loadTenantConfig(path)).rejects.toThrow(ConfigError);
    await expect(loadTenantConfig(path)).rejects.toThrow(
      `Invalid tenant config in ${path} (1 problem):\n(file): cannot be read`,
    );
  });

  it('names the file when it is not JSON', async () => {
    const path = join(directory, 'broken.json');
    writeFileSync(path, '{ "tenant": ');
    await expect(loadTenantConfig(path)).rejects.toThrow(/\(file\): is not valid JSON/);
  });

  it('names the file and the field when the config is invalid', async () => {
    const path = join(directory, 'invalid.json');
    writeFileSync(path, JSON.stringify({ tenant: { id: 'x', name: 'X' } }));
    await expect(loadTenantConfig(path)).rejects.toThrow(new RegExp(`in ${path} .*\\nbranding: is required`));
  });

  it('loads the file named by EXBOX_TENANT_CONFIG, or the demo when unset', async () => {
    const path = join(directory, 'copy.json');
    const { readFile } = await import('node:fs/promises');
    writeFileSync(path, (await readFile(demoTenantPath, 'utf8')).replace('"demo"', '"copy"'));
    expect((await loadTenantConfigFromEnvironment({ EXBOX_TENANT_CONFIG: path })).tenant.id).toBe('copy');
    expect((await loadTenantConfigFromEnvironment({ EXBOX_TENANT_CONFIG: '' })).tenant.id).toBe('demo');
    expect(readConfigEnvironment({}).EXBOX_TENANT_CONFIG).toBeUndefined();
  });
});
