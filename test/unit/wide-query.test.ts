// How transport/query reads a SELECT too long for one URL, against a scripted Requester: which calls it makes and
// how it merges their answers.
import { describe, expect, it } from 'vitest';

import { buildSelect, type SelectQuery } from '../../nodes/Salesforce/helpers/soql.ts';
import { query, queryMore, QueryTooLongError } from '../../nodes/Salesforce/transport/query.ts';
import type { Method, Requester } from '../../nodes/Salesforce/transport/types.ts';

const fields = Array.from({ length: 400 }, (_, index) => `Custom_Field_With_A_Long_Api_Name_${index}__c`);
const select: SelectQuery = { object: 'Wide__c', fields: ['Id', 'Owner.Name', 'Stamp__c', ...fields], orderBy: [{ field: 'Stamp__c' }] };

/** Answers GETs with `pages` in turn and retrieve POSTs from `current`; records every call. */
function scripted(pages: Array<{ records: Array<Record<string, unknown>>; nextRecordsUrl?: string }>, current: Record<string, Record<string, unknown> | null>) {
	const calls: Array<{ method: Method; path: string; body?: { ids: string[]; fields: string[] } }> = [];
	const requester: Requester = {
		async request<T>(method: Method, path: string, body?: unknown) {
			calls.push({ method, path, body: body as never });
			if (method === 'POST') {
				const { ids, fields: wanted } = body as { ids: string[]; fields: string[] };
				return ids.map((id) => (current[id] ? { attributes: { type: 'Wide__c' }, ...Object.fromEntries(wanted.map((name) => [name, current[id]![name] ?? null])) } : null)) as T;
			}
			if (decodeURIComponent(path).includes('Id IN (')) {
				const ids = [...decodeURIComponent(path).matchAll(/'([^']+)'/g)].map((match) => match[1]);
				return { done: true, totalSize: ids.length, records: ids.map((Id) => ({ Id, [fields[0]]: `deleted ${Id}` })) } as T;
			}
			const page = pages.shift()!;
			return { done: !page.nextRecordsUrl, totalSize: 3, ...page } as T;
		},
	};
	return { requester, calls };
}

describe('a SELECT too long for one URL', () => {
	it('reads Id, sort and parent fields by SOQL, the rest by retrieve; SOQL values win, keys keep the field order', async () => {
		const { requester, calls } = scripted(
			[{ records: [{ attributes: { type: 'Wide__c' }, Id: 'a1', Owner: { Name: 'Ada' }, Stamp__c: 'then' }], nextRecordsUrl: '/services/data/v64.0/query/01g-1' }],
			{ a1: { Stamp__c: 'now', [fields[0]]: 'one' } },
		);
		const page = await query(requester, buildSelect(select), { select });
		expect(decodeURIComponent(calls[0].path)).toBe('/query?q=SELECT Id, Stamp__c, Owner.Name FROM Wide__c ORDER BY Stamp__c ASC');
		expect(calls[1]).toMatchObject({ method: 'POST', path: '/composite/sobjects/Wide__c', body: { ids: ['a1'], fields } });
		expect(page.records[0]).toMatchObject({ Id: 'a1', Owner: { Name: 'Ada' }, Stamp__c: 'then', [fields[0]]: 'one', [fields[1]]: null });
		expect(Object.keys(page.records[0]).slice(0, 5)).toEqual(['attributes', 'Id', 'Owner', 'Stamp__c', fields[0]]);
	});

	it('completes queryMore pages, and reads records retrieve no longer finds through queryAll slices', async () => {
		const { requester, calls } = scripted(
			[{ records: [{ Id: 'a1', Stamp__c: '1' }], nextRecordsUrl: '/services/data/v64.0/query/01g-1' }, { records: [{ Id: 'a2', Stamp__c: '2' }, { Id: 'a3', Stamp__c: '3' }] }],
			{ a1: { [fields[0]]: 'one' }, a2: { [fields[0]]: 'two' }, a3: null },
		);
		const first = await query(requester, buildSelect(select), { select });
		const second = await queryMore(requester, first.nextRecordsUrl!);
		expect(second.records.map((record) => record[fields[0]])).toEqual(['two', 'deleted a3']);
		const slices = calls.filter((call) => call.method === 'GET' && decodeURIComponent(call.path).includes('Id IN'));
		expect(slices.length).toBeGreaterThan(1);
		expect(slices.every((call) => call.path.startsWith('/queryAll?q='))).toBe(true);
		// Together the slices select every field the retrieve was asked for.
		const sliced = slices.flatMap((call) => /SELECT (.*) FROM/.exec(decodeURIComponent(call.path))![1].split(', ').slice(1));
		expect(sliced).toEqual(fields);
	});

	it('refuses, before any call, a query whose conditions alone do not fit', async () => {
		const { requester, calls } = scripted([], {});
		const tooLong = { ...select, where: `Name = '${'x'.repeat(20_000)}'` };
		await expect(query(requester, buildSelect(tooLong), { select: tooLong })).rejects.toThrow(QueryTooLongError);
		await expect(query(requester, buildSelect(tooLong))).rejects.toThrow(/The query is [\d,]+ bytes, Salesforce accepts at most 16,384 bytes/);
		expect(calls).toEqual([]);
	});
});
