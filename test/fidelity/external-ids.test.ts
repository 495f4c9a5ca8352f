// External ID and unique values through jsforce as records change: the emulator finds records by such a value through
// an index kept by every write (test/emulator/store.ts), so each way a value changes is driven here. Follows the
// "REST API Developer Guide": "Insert or Update (Upsert) a Record Using an External ID" (a match is updated with 200,
// no match creates with 201), "Update a Record", "Delete a Record" and "sObject Collections" (allOrNone: nothing of a
// failed call is saved); unique fields refuse a duplicate with DUPLICATE_VALUE ("Status Codes and Error Responses").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from 'jsforce';

import { startEmulator, type Emulator } from '../emulator/index.ts';
import { connect } from './helpers.ts';

let emulator: Emulator;
let conn: Connection;

beforeAll(async () => {
	emulator = await startEmulator({ port: 0 });
	({ conn } = await connect(emulator));
});
afterAll(() => emulator.close());

const upsert = async (externalId: string, fields: Record<string, unknown> = {}) =>
	(await conn.sobject('Lead').upsert({ External_Id__c: externalId, LastName: 'Indexed', Company: 'Index Co', ...fields }, 'External_Id__c')) as {
		id: string;
		created: boolean;
	};

describe('records found by an external ID value', () => {
	it('follow an update of the value: the old value matches nothing, the new one the record', async () => {
		const { id } = await upsert('IDX-OLD');
		await conn.sobject('Lead').update({ Id: id, External_Id__c: 'IDX-NEW' });
		expect(await upsert('IDX-NEW', { Title: 'Matched' })).toMatchObject({ id, created: false });
		const again = await upsert('IDX-OLD');
		expect(again.created).toBe(true);
		expect(again.id).not.toBe(id);
		expect(emulator.store.get('Lead', id)).toMatchObject({ External_Id__c: 'IDX-NEW', Title: 'Matched' });
	});

	it('free a unique value once the record holding it takes another', async () => {
		const { id } = await upsert('IDX-FREED');
		await expect(conn.sobject('Lead').create({ LastName: 'Twin', Company: 'Index Co', External_Id__c: 'IDX-FREED' })).rejects.toMatchObject({ errorCode: 'DUPLICATE_VALUE' });
		await conn.sobject('Lead').update({ Id: id, External_Id__c: null });
		const created = await conn.sobject('Lead').create({ LastName: 'Twin', Company: 'Index Co', External_Id__c: 'IDX-FREED' });
		expect(created).toMatchObject({ success: true });
	});

	it('leave out a deleted record: an upsert with its value creates a new record', async () => {
		const { id } = await upsert('IDX-DELETED');
		await conn.sobject('Lead').destroy(id);
		const after = await upsert('IDX-DELETED');
		expect(after.created).toBe(true);
		expect(after.id).not.toBe(id);
	});

	it('keep nothing of an allOrNone call that failed: its values are free again', async () => {
		const results = await conn.sobject('Lead').create(
			[
				{ LastName: 'Rolled back', Company: 'Index Co', External_Id__c: 'IDX-ROLLED' },
				{ LastName: 'No company', External_Id__c: 'IDX-ROLLED-2' },
			],
			{ allOrNone: true },
		);
		expect(results.map((r) => r.success)).toEqual([false, false]);
		expect(await upsert('IDX-ROLLED')).toMatchObject({ created: true });
		// An update rolled back leaves the record's value as it was, and the value it tried free.
		const { id } = await upsert('IDX-KEPT');
		const other = await upsert('IDX-OTHER');
		const update = await conn.sobject('Lead').update(
			[
				{ Id: id, External_Id__c: 'IDX-TRIED' },
				{ Id: other.id, LastName: null },
			],
			{ allOrNone: true },
		);
		expect(update.map((r) => r.success)).toEqual([false, false]);
		expect(await upsert('IDX-KEPT')).toMatchObject({ id, created: false });
		expect(await upsert('IDX-TRIED')).toMatchObject({ created: true });
	});

	it('start empty on a custom field deleted and created again under the same name', async () => {
		emulator.store.addField('Lead', { name: 'Legacy_Key__c', type: 'string', externalId: true, unique: true });
		const first = (await conn.sobject('Lead').upsert({ Legacy_Key__c: 'K-1', LastName: 'Legacy', Company: 'Index Co' }, 'Legacy_Key__c')) as { id: string; created: boolean };
		expect(first.created).toBe(true);
		emulator.store.removeField('Lead', 'Legacy_Key__c');
		emulator.store.addField('Lead', { name: 'Legacy_Key__c', type: 'string', externalId: true, unique: true });
		const second = (await conn.sobject('Lead').upsert({ Legacy_Key__c: 'K-1', LastName: 'Legacy', Company: 'Index Co' }, 'Legacy_Key__c')) as { id: string; created: boolean };
		expect(second.created).toBe(true);
		expect(second.id).not.toBe(first.id);
	});
});
