// The README's pictures (taken by test/ui/editor.test.ts, written by `npm run screenshots`) and examples: each one
// the README shows exists, stays small, and nothing in docs/images/ or examples/ goes unmentioned.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { root } from '../n8n/index.mjs';
import { MAX_PICTURE_BYTES, PICTURES } from '../ui/pictures.ts';

const readme = readFileSync(join(root, 'README.md'), 'utf8');
const shown = [...readme.matchAll(/!\[[^\]]*\]\((docs\/images\/[^)]+)\)/g)].map((match) => match[1]);

describe('README pictures and examples', () => {
	it('every picture the README shows exists and is at most 150 KB', () => {
		expect(shown.length).toBeGreaterThanOrEqual(3);
		for (const path of shown) expect(statSync(join(root, path)).size, path).toBeLessThanOrEqual(MAX_PICTURE_BYTES);
	});

	it('every picture in docs/images and every example is in the README', () => {
		for (const file of readdirSync(PICTURES)) expect(shown, file).toContain(`docs/images/${file}`);
		for (const file of readdirSync(join(root, 'examples'))) expect(readme, file).toContain(`examples/${file}`);
	});
});
