// The fault matrix: every network or Salesforce fault × write operation × batching path × Continue On Fail, run
// through n8n-core against the emulator. Each cell asserts what must hold whatever the fault: items in = items out
// (or the node's error), pairing, no record written twice, no item reported failed whose write happened (it is a
// success or OUTCOME_UNKNOWN), every success backed by the store, and no secret in any output or error. The outcome
// of every cell is printed as a table and written to test-results/fault-matrix.md.
// The faults follow Salesforce's documented answers ("REST API Developer Guide", Status Codes and Error Responses:
// 401 INVALID_SESSION_ID, 403 REQUEST_LIMIT_EXCEEDED, 503 SERVER_UNAVAILABLE; UNABLE_TO_LOCK_ROW) and what networks do
// (a connection dropped before or after the request was processed, an answer that never comes, an HTML page from a
// proxy or maintenance page).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { bulkPolicy } from '../../nodes/Salesforce/transport/bulk';
import type { FaultSpec } from '../emulator/index.ts';
import { byId, mapped, startNodeFixture, type NodeFixture } from './node-fixture.ts';

const ITEMS = 5;
/** Seconds; the hang cells wait this long for an answer that never comes. */
const HANG_TIMEOUT_SECONDS = 1;

const FAULTS = {
	dropBefore: { kind: 'dropBefore' },
	dropAfter: { kind: 'dropAfter' },
	hang: { kind: 'hang' },
	'503 html': { kind: 'html', status: 503 },
	'503 SERVER_UNAVAILABLE': { kind: 'error', status: 503, errorCode: 'SERVER_UNAVAILABLE' },
	'401 INVALID_SESSION_ID': { kind: 'error', status: 401, errorCode: 'INVALID_SESSION_ID' },
	UNABLE_TO_LOCK_ROW: { kind: 'error', status: 400, errorCode: 'UNABLE_TO_LOCK_ROW' },
	REQUEST_LIMIT_EXCEEDED: { kind: 'error', status: 403, errorCode: 'REQUEST_LIMIT_EXCEEDED' },
} satisfies Record<string, FaultSpec>;
type Fault = keyof typeof FAULTS;

type Operation = 'create' | 'update' | 'upsert' | 'delete';
const OPERATIONS: Operation[] = ['create', 'update', 'upsert', 'delete'];
type Path = 'Collections' | 'Bulk';
const PATHS: Path[] = ['Collections', 'Bulk'];

/** The call of each path that carries the write: the Collections request, or the Bulk job's close (UploadComplete). */
const TARGET: Record<Path, (operation: Operation) => Pick<FaultSpec, 'method' | 'path'>> = {
	Collections: (operation) => ({
		method: { create: 'POST', update: 'PATCH', upsert: 'PATCH', delete: 'DELETE' }[operation],
		path: /\/composite\/sobjects/,
	}),
	Bulk: () => ({ method: 'PATCH', path: /\/jobs\/ingest\/\w+$/ }),
};

/** Faults the node must absorb completely: Salesforce did not process the call, and saying it again is safe. */
const ABSORBED: Fault[] = ['503 html', '503 SERVER_UNAVAILABLE', '401 INVALID_SESSION_ID', 'UNABLE_TO_LOCK_ROW'];

let fixture: NodeFixture;
const table = new Map<string, string>();
let cellNumber = 0;

beforeAll(async () => {
	bulkPolicy.pollIntervalMs = 5;
	fixture = await startNodeFixture();
});

afterAll(async () => {
	await fixture?.close();
	const markdown = renderTable();
	mkdirSync('test-results', { recursive: true });
	writeFileSync(join('test-results', 'fault-matrix.md'), markdown);
	console.log(`\n${markdown}`);
});

/** What a cell writes, and how to tell from the store whether an item's write happened. */
interface Scenario {
	parameters: INodeParameters;
	items: IDataObject[];
	/** The lead records of this cell, by item. */
	written(index: number): boolean;
	/** How many stored leads carry the item's marker (more than 1: written twice). */
	copies(index: number): number;
	storedId(index: number): string | undefined;
}

function scenario(operation: Operation, path: Path, tag: string, fault: Fault): Scenario {
	const { store } = fixture.emulator;
	const ext = (index: number) => `${tag}-${index}`;
	const marker = `${tag} after`;
	const leadsOf = (index: number) => store.all('Lead').filter((lead) => lead.External_Id__c === ext(index));
	const existing = (count: number) =>
		Array.from({ length: count }, (_, index) =>
			String(store.insert('Lead', { LastName: `${tag} ${index}`, Company: 'Matrix Co', External_Id__c: ext(index), Title: 'before' }).Id),
		);
	const options: INodeParameters = {
		bulkMode: path === 'Bulk' ? 'always' : 'never',
		...(fault === 'hang' ? { timeout: HANG_TIMEOUT_SECONDS } : {}),
	};
	const indexes = Array.from({ length: ITEMS }, (_, index) => index);
	const base = {
		copies: (index: number) => leadsOf(index).length,
		storedId: (index: number) => leadsOf(index)[0]?.Id as string | undefined,
	};
	switch (operation) {
		case 'create':
			return {
				...base,
				parameters: {
					resource: 'lead',
					operation,
					columns: mapped({ LastName: '={{ $json.last }}', Company: 'Matrix Co', External_Id__c: '={{ $json.ext }}', Title: marker }),
					options,
				},
				items: indexes.map((index) => ({ last: `${tag} ${index}`, ext: ext(index) })),
				written: (index) => leadsOf(index).length > 0,
			};
		case 'update': {
			const ids = existing(ITEMS);
			return {
				...base,
				parameters: { resource: 'lead', operation, recordId: byId('={{ $json.id }}'), columns: mapped({ Title: marker }), options },
				items: ids.map((id) => ({ id })),
				written: (index) => leadsOf(index)[0]?.Title === marker,
			};
		}
		case 'upsert':
			existing(2);
			return {
				...base,
				parameters: {
					resource: 'lead',
					operation,
					externalIdField: 'External_Id__c',
					columns: mapped({ LastName: '={{ $json.last }}', Company: 'Matrix Co', External_Id__c: '={{ $json.ext }}', Title: marker }),
					options,
				},
				items: indexes.map((index) => ({ last: `${tag} ${index}`, ext: ext(index) })),
				written: (index) => leadsOf(index)[0]?.Title === marker,
			};
		case 'delete': {
			const ids = existing(ITEMS);
			return {
				...base,
				parameters: { resource: 'lead', operation, recordId: byId('={{ $json.id }}'), options },
				items: ids.map((id) => ({ id })),
				written: (index) => leadsOf(index).length === 0,
				copies: () => 0,
				storedId: (index) => ids[index],
			};
		}
	}
}

/** An item's or the node's error code, read from its fields (errorCode for a call, statusCode for a record). */
function codeOf(json: IDataObject | undefined): string | undefined {
	if (!json) return undefined;
	const details = (json.details ?? {}) as IDataObject;
	return (json.errorCode ?? json.statusCode ?? details.errorCode ?? details.statusCode) as string | undefined;
}

type NodeError = Error & { errorCode?: string; errorResponse?: IDataObject; description?: string; context?: { itemIndex?: number } };

const isUnknown = (code: string | undefined) => code === 'OUTCOME_UNKNOWN';

function summarize(items: INodeExecutionData[], error: NodeError | undefined): string {
	if (error) {
		const code = error.errorCode ?? codeOf(error.errorResponse) ?? 'error';
		return `stopped: ${code}${error.context?.itemIndex === undefined ? '' : ` (item ${error.context.itemIndex})`}`;
	}
	const counts = new Map<string, number>();
	for (const item of items) {
		const code = codeOf(item.json);
		const label = item.json.error === undefined ? 'ok' : isUnknown(code) ? 'unknown' : `failed ${code}`;
		counts.set(label, (counts.get(label) ?? 0) + 1);
	}
	return [...counts].map(([label, count]) => `${count} ${label}`).join(', ');
}

describe.each(Object.keys(FAULTS) as Fault[])('%s', (fault) => {
	describe.each(OPERATIONS)('%s', (operation) => {
		describe.each(PATHS)('%s', (path) => {
			it.each([true, false])('continue on fail: %s', async (continueOnFail) => {
				const cell = cellKey(fault, operation, path, continueOnFail);
				const tag = `FM${++cellNumber}`;
				fixture.emulator.faults.reset();
				const { parameters, items, written, copies, storedId } = scenario(operation, path, tag, fault);
				fixture.emulator.faults.inject({ ...FAULTS[fault], ...TARGET[path](operation) } as FaultSpec);
				const onError = continueOnFail ? 'continueRegularOutput' : 'stopWorkflow';
				const result = await fixture.harness.runNode({ nodeType: fixture.nodeType, parameters, items, onError });
				const error = result.error as NodeError | undefined;
				table.set(cell, summarize(result.items, error));
				try {
					// No record written twice.
					items.forEach((_, index) => expect(copies(index), `item ${index} stored more than once`).toBeLessThanOrEqual(1));
					if (continueOnFail) {
						expect(error).toBeUndefined();
						expect(result.items).toHaveLength(ITEMS);
					} else if (error) {
						expect(result.items).toHaveLength(0);
						// The item the node stopped on did not get written, unless its outcome is said to be unknown.
						const stoppedOn = error.context?.itemIndex;
						if (stoppedOn !== undefined && !isUnknown(error.errorCode ?? codeOf(error.errorResponse))) {
							expect(written(stoppedOn), `item ${stoppedOn} reported failed, but written`).toBe(false);
						}
					} else expect(result.items).toHaveLength(ITEMS);
					result.items.forEach((item, index) => {
						expect(item.pairedItem).toEqual({ item: index });
						const code = codeOf(item.json);
						if (item.json.error === undefined) {
							expect(written(index), `item ${index} reported saved, but not written`).toBe(true);
							if (operation !== 'delete') expect(item.json.Id).toBe(storedId(index));
						} else if (!isUnknown(code)) {
							expect(written(index), `item ${index} reported failed (${code}), but written`).toBe(false);
						}
					});
					// No secret in any output or error.
					const credentials = fixture.harness.credentials;
					const token = credentials.oauthTokenData as { access_token?: string; refresh_token?: string };
					const visible = JSON.stringify(result.items) + (error ? [error.message, error.description, error.stack, JSON.stringify(error.errorResponse)].join('\n') : '');
					for (const secret of [String(credentials.clientSecret), token.access_token, token.refresh_token]) {
						if (secret) expect(visible.includes(secret), 'a secret in the output').toBe(false);
					}
					// What the node must get right whatever it cannot know.
					if (ABSORBED.includes(fault)) expect(table.get(cell)).toBe(`${ITEMS} ok`);
					if (fault === 'REQUEST_LIMIT_EXCEEDED') {
						expect(table.get(cell)).toBe(continueOnFail ? `${ITEMS} failed REQUEST_LIMIT_EXCEEDED` : 'stopped: REQUEST_LIMIT_EXCEEDED (item 0)');
					}
					if (path === 'Bulk') expect(table.get(cell), 'a Bulk job reads its outcome back').toMatch(/^\d+ ok$|REQUEST_LIMIT_EXCEEDED/);
				} catch (failure) {
					table.set(cell, `✗ ${table.get(cell)}`);
					throw failure;
				}
			});
		});
	});
});

function cellKey(fault: Fault, operation: Operation, path: Path, continueOnFail: boolean) {
	return `${fault}|${operation}|${path}|${continueOnFail}`;
}

function renderTable(): string {
	const columns = PATHS.flatMap((path) => [true, false].map((continueOnFail) => ({ path, continueOnFail })));
	const header = ['fault', 'operation', ...columns.map(({ path, continueOnFail }) => `${path}, ${continueOnFail ? 'Continue On Fail' : 'stop on error'}`)];
	const rows = (Object.keys(FAULTS) as Fault[]).flatMap((fault) =>
		OPERATIONS.map((operation) => [
			fault,
			operation,
			...columns.map(({ path, continueOnFail }) => table.get(cellKey(fault, operation, path, continueOnFail)) ?? 'not run'),
		]),
	);
	return [header, header.map(() => '---'), ...rows].map((row) => `| ${row.join(' | ')} |`).join('\n') + '\n';
}
