import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { defineConfig } from 'vitest/config';

// n8n-core writes its instance settings (encryption key) under N8N_USER_FOLDER: keep them out of the home folder.
const n8nUserFolder = mkdtempSync(join(tmpdir(), 'n8n-nodes-salesforce-'));

// One command runs every layer of the test pyramid (README, "Tests"): fast layers first, real n8n last.
export default defineConfig({
	// n8n's published packages point their source maps at files they do not ship: silence those warnings.
	logLevel: 'error',
	test: {
		root: new URL('..', import.meta.url).pathname,
		env: { N8N_USER_FOLDER: n8nUserFolder },
		reporters: ['default', 'json'],
		outputFile: { json: 'test-results/vitest.json' },
		projects: [
			{
				extends: true,
				test: { name: 'unit', include: ['test/unit/**/*.test.ts'] },
			},
			{
				extends: true,
				test: { name: 'fidelity', include: ['test/fidelity/**/*.test.ts'], testTimeout: 60_000 },
			},
			{
				extends: true,
				test: {
					name: 'integration',
					include: ['test/integration/**/*.test.ts', 'test/simulation/**/*.test.ts'],
					setupFiles: ['test/setup/n8n-error-reports.ts'],
					testTimeout: 120_000,
				},
			},
			{
				extends: true,
				test: {
					name: 'e2e',
					include: ['test/e2e/**/*.test.ts', 'test/ui/**/*.test.ts'],
					testTimeout: 600_000,
					hookTimeout: 1_200_000,
					fileParallelism: false,
					// After unit, fidelity and integration (without an order, vitest would run these files last of all).
					sequence: { groupOrder: 1 },
				},
			},
			{
				extends: true,
				test: {
					name: 'scale',
					include: ['test/scale/**/*.test.ts'],
					testTimeout: 1_800_000,
					hookTimeout: 1_200_000,
					fileParallelism: false,
					// After every other layer, alone: it runs Postgres, Redis and three n8n processes under load.
					sequence: { groupOrder: 2 },
				},
			},
		],
	},
});
