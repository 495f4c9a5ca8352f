// Which uploads travel together (transport/files.ts): up to 200 files a call, and up to 50 MB of them unless one
// file alone is larger; order kept.
import { describe, expect, it } from 'vitest';

import { uploadCalls } from '../../nodes/Salesforce/transport/files';

const MB = 1_000_000;

describe('uploadCalls', () => {
	it('puts up to 200 small files in a call', () => {
		const calls = uploadCalls(Array(1000).fill(10));
		expect(calls.map((call) => call.length)).toEqual([200, 200, 200, 200, 200]);
		expect(calls.flat()).toEqual([...Array(1000).keys()]);
	});

	it('starts a new call before the files pass 50 MB, and sends a larger file alone', () => {
		expect(uploadCalls([20 * MB, 20 * MB, 20 * MB])).toEqual([[0, 1], [2]]);
		expect(uploadCalls([30 * MB, 30 * MB, 1])).toEqual([[0], [1, 2]]);
		expect(uploadCalls([1, 60 * MB, 1, 1])).toEqual([[0], [1], [2, 3]]);
		expect(uploadCalls([50 * MB, 0])).toEqual([[0, 1]]);
	});

	it('makes no call without files', () => {
		expect(uploadCalls([])).toEqual([]);
	});
});
