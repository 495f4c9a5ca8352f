// `npm run bench`: runs every test/bench/*.bench.ts module in name order and lets each print its figures;
// `npm run bench -- trigger` runs only the modules whose file name contains "trigger".
// A bench module's default export is an async function that prints its own figures.
// The modules import the TypeScript sources (node, transport, harness, emulator) the way the tests do, so they are
// loaded through Vitest's module runner (same resolution and transforms as `npm test`), not by Node directly:
// the node's sources are CommonJS-style TypeScript without import extensions, and n8n-workflow's ESM build has
// extensionless imports that plain Node cannot resolve.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { createVitest } from 'vitest/node';

const benchFolder = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv[2] ?? '';
const modules = readdirSync(benchFolder)
	.filter((name) => name.endsWith('.bench.ts') && name.includes(only))
	.sort();

const vitest = await createVitest(
	'test',
	{ config: fileURLToPath(new URL('../vitest.config.ts', import.meta.url)), watch: false },
	{ logLevel: 'error' },
);
try {
	for (const name of modules) {
		const module = await vitest.import<{ default: () => Promise<void> }>(`${benchFolder}${name}`);
		await module.default();
	}
} finally {
	await vitest.close();
}
