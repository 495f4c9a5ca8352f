// The README's pictures: taken by test/ui/editor.test.ts, written here only by `npm run screenshots`.
import { join } from 'node:path';

import { root } from '../n8n/index.mjs';

export const PICTURES = join(root, 'docs', 'images');
/** Each picture stays small enough for the README to load quickly. */
export const MAX_PICTURE_BYTES = 150 * 1024;
