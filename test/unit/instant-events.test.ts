// The instant trigger's pure parts: change events as Salesforce delivers them (Change Data Capture Developer Guide:
// "Change Event Message Structure", "Get Compound Fields in Change Events", "Gap Events", "Overflow Events"), the
// field-change filters, and the items they become.
import { describe, expect, it } from 'vitest';

import {
	changedEntries,
	eventItems,
	eventMatches,
	fieldsOfEntry,
	MalformedEventError,
	readChangeEvent,
	reconciledItems,
	recordIdsToRead,
	recordMatches,
	selectEvents,
	valueMatches,
	type FieldChange,
	type Selection,
} from '../../nodes/Salesforce/instant/events.ts';

const LEAD_A = '00Q5g00000AbCdEAAA';
const LEAD_B = '00Q5g00000AbCdFAAA';

/** A change event's `data` as the Bayeux message carries it. */
function message(changeType: string, body: Record<string, unknown>, header: Record<string, unknown> = {}, replayId = 42) {
	return {
		schema: 'Jx8Hz9ElkIUaBf-heF1ShA',
		payload: {
			ChangeEventHeader: {
				entityName: 'Lead',
				recordIds: [LEAD_A],
				changeType,
				changedFields: [],
				changeOrigin: 'com/salesforce/api/rest/64.0',
				transactionKey: '0002343d-9d90-e395-ed20-cf416ba652ad',
				sequenceNumber: 1,
				commitTimestamp: 1795341600000,
				commitNumber: 10716283339728,
				commitUser: '0055f000005mc66AAA',
				...header,
			},
			...body,
		},
		event: { replayId },
	};
}

const selection = (changes: FieldChange[] = [], kinds: Selection['kinds'] = ['created', 'updated', 'deleted', 'undeleted'], includeRecord = false): Selection => ({
	kinds,
	fieldChanges: changes,
	includeRecord,
});

describe('reading change events', () => {
	it('reads the header, the kind and the body without the header', () => {
		const event = readChangeEvent(message('UPDATE', { Title: 'CTO', LastModifiedDate: '2026-11-22T10:00:00.000Z' }, { changedFields: ['Title', 'LastModifiedDate'] }));
		expect(event).toMatchObject({
			replayId: 42,
			entityName: 'Lead',
			recordIds: [LEAD_A],
			kind: 'updated',
			gap: false,
			overflow: false,
			changedFields: ['Title', 'LastModifiedDate'],
			commitTimestamp: 1795341600000,
			sequenceNumber: 1,
			fields: { Title: 'CTO', LastModifiedDate: '2026-11-22T10:00:00.000Z' },
		});
		expect(event.fields).not.toHaveProperty('ChangeEventHeader');
	});

	it('knows gap events by their GAP_ prefix and overflow events by GAP_OVERFLOW', () => {
		expect(readChangeEvent(message('GAP_UNDELETE', {}))).toMatchObject({ kind: 'undeleted', gap: true, overflow: false });
		expect(readChangeEvent(message('GAP_OVERFLOW', {}, { recordIds: [] }))).toMatchObject({ kind: undefined, gap: false, overflow: true });
	});

	it('refuses what is not a change event', () => {
		expect(() => readChangeEvent({ payload: 'text', event: { replayId: 1 } })).toThrow(MalformedEventError);
		expect(() => readChangeEvent(message('SNAPSHOT', {}))).toThrow(/Unknown changeType SNAPSHOT/);
		expect(() => readChangeEvent({ ...message('CREATE', {}), event: {} })).toThrow(MalformedEventError);
	});
});

describe('which fields an event changed', () => {
	it('maps Compound.Component entries to the fields they stand for', () => {
		expect(fieldsOfEntry('Title')).toEqual(['Title']);
		expect(fieldsOfEntry('Name.LastName')).toEqual(['Name.LastName', 'Name', 'LastName']);
		expect(fieldsOfEntry('BillingAddress.City')).toEqual(['BillingAddress.City', 'BillingAddress', 'City', 'BillingCity']);
		expect(fieldsOfEntry('Address.Street')).toEqual(['Address.Street', 'Address', 'Street']);
		expect(fieldsOfEntry('Location__c.Latitude')).toEqual(['Location__c.Latitude', 'Location__c', 'Latitude', 'Location__Latitude__s']);
	});

	it("lists an update's changedFields, a new record's fields (nested ones as Compound.Component), none for a deletion", () => {
		const created = readChangeEvent(message('CREATE', { Name: { FirstName: 'Ada', LastName: 'Lovelace' }, Company: 'Engines', Phone: null }));
		expect(changedEntries(created)).toEqual(['Name.FirstName', 'Name.LastName', 'Company', 'Phone']);
		expect(changedEntries(readChangeEvent(message('UPDATE', { Title: 'CTO' }, { changedFields: ['Title', 'LastModifiedDate'] })))).toEqual(['Title', 'LastModifiedDate']);
		expect(changedEntries(readChangeEvent(message('DELETE', {})))).toEqual([]);
		expect(changedEntries(readChangeEvent(message('GAP_UPDATE', {})))).toEqual([]);
	});
});

describe('field-change filters', () => {
	const stageUpdate = (stage: unknown) =>
		readChangeEvent(message('UPDATE', { StageName: stage, LastModifiedDate: '2026-11-22T10:00:00.000Z' }, { entityName: 'Opportunity', changedFields: ['StageName', 'LastModifiedDate'] }));

	it('passes when a chosen field changed, to the chosen value if any', () => {
		expect(eventMatches(stageUpdate('Closed Won'), [{ field: 'StageName', to: 'any' }])).toBe(true);
		expect(eventMatches(stageUpdate('Closed Won'), [{ field: 'stagename', to: 'value', value: 'Closed Won' }])).toBe(true);
		expect(eventMatches(stageUpdate('Closed Lost'), [{ field: 'StageName', to: 'value', value: 'Closed Won' }])).toBe(false);
		expect(eventMatches(stageUpdate('Closed Won'), [{ field: 'Amount', to: 'any' }])).toBe(false);
		// One of several filters is enough.
		expect(eventMatches(stageUpdate('Closed Won'), [{ field: 'Amount', to: 'any' }, { field: 'StageName', to: 'any' }])).toBe(true);
	});

	it('matches compound components by field name, and their new values inside the nested body', () => {
		const renamed = readChangeEvent(message('UPDATE', { Name: { LastName: 'King' } }, { changedFields: ['Name.LastName', 'LastModifiedDate'] }));
		expect(eventMatches(renamed, [{ field: 'LastName', to: 'value', value: 'King' }])).toBe(true);
		expect(eventMatches(renamed, [{ field: 'Name', to: 'any' }])).toBe(true);
		expect(eventMatches(renamed, [{ field: 'FirstName', to: 'any' }])).toBe(false);
		const moved = readChangeEvent(message('UPDATE', { BillingAddress: { City: 'Paris' } }, { entityName: 'Account', changedFields: ['BillingAddress.City'] }));
		expect(eventMatches(moved, [{ field: 'BillingCity', to: 'value', value: 'Paris' }])).toBe(true);
		expect(eventMatches(moved, [{ field: 'ShippingCity', to: 'any' }])).toBe(false);
	});

	it('counts a new record as setting the fields it holds', () => {
		const created = readChangeEvent(message('CREATE', { Name: { LastName: 'Hopper' }, Status: 'Open' }));
		expect(eventMatches(created, [{ field: 'Status', to: 'value', value: 'Open' }])).toBe(true);
		expect(eventMatches(created, [{ field: 'Title', to: 'any' }])).toBe(false);
	});

	it('lets deletions, gap and overflow events through (no field changes to judge)', () => {
		const changes: FieldChange[] = [{ field: 'Title', to: 'any' }];
		expect(eventMatches(readChangeEvent(message('DELETE', {})), changes)).toBe(true);
		expect(eventMatches(readChangeEvent(message('GAP_UPDATE', {})), changes)).toBe(true);
		expect(eventMatches(readChangeEvent(message('GAP_OVERFLOW', {})), changes)).toBe(true);
	});

	it('compares values as typed: numbers and checkboxes as such, text exactly, empty as cleared', () => {
		expect(valueMatches({ field: 'Amount', to: 'value', value: '5000' }, 5000)).toBe(true);
		expect(valueMatches({ field: 'Amount', to: 'value', value: '5000.0' }, 5000)).toBe(true);
		expect(valueMatches({ field: 'Amount', to: 'value', value: '' }, 0)).toBe(false);
		expect(valueMatches({ field: 'IsConverted', to: 'value', value: 'TRUE' }, true)).toBe(true);
		expect(valueMatches({ field: 'IsConverted', to: 'value', value: 'true' }, false)).toBe(false);
		expect(valueMatches({ field: 'StageName', to: 'value', value: 'closed won' }, 'Closed Won')).toBe(false);
		expect(valueMatches({ field: 'Title', to: 'empty' }, null)).toBe(true);
		expect(valueMatches({ field: 'Title', to: 'empty' }, 'CTO')).toBe(false);
		expect(valueMatches({ field: 'Title', to: 'value', value: '' }, null)).toBe(true);
	});

	it('judges a record read again on its current values', () => {
		const record = { Id: LEAD_A, Status: 'Working', Title: null };
		expect(recordMatches(record, [])).toBe(true);
		expect(recordMatches(record, [{ field: 'status', to: 'value', value: 'Working' }])).toBe(true);
		expect(recordMatches(record, [{ field: 'Status', to: 'value', value: 'Open' }])).toBe(false);
		expect(recordMatches(record, [{ field: 'Title', to: 'empty' }])).toBe(true);
		expect(recordMatches(null, [{ field: 'Status', to: 'value', value: 'Working' }])).toBe(false);
		expect(recordMatches(null, [{ field: 'Status', to: 'any' }])).toBe(true);
	});
});

describe('selecting events and reading records', () => {
	const created = readChangeEvent(message('CREATE', { Name: { LastName: 'A' } }, {}, 1));
	const deleted = readChangeEvent(message('DELETE', {}, { recordIds: [LEAD_A, LEAD_B] }, 2));
	const gap = readChangeEvent(message('GAP_UPDATE', {}, { recordIds: [LEAD_B, '00Q*'] }, 3));
	const overflow = readChangeEvent(message('GAP_OVERFLOW', {}, { recordIds: [] }, 4));

	it('keeps the chosen kinds (a gap event by the change it stands for) and every overflow event', () => {
		expect(selectEvents([created, deleted, gap, overflow], selection([], ['deleted'])).map((event) => event.replayId)).toEqual([2, 4]);
		expect(selectEvents([created, deleted, gap, overflow], selection([], ['updated'])).map((event) => event.replayId)).toEqual([3, 4]);
	});

	it("reads a gap event's records always, every record with Include Current Record; never a wildcard", () => {
		expect(recordIdsToRead([created, deleted, gap, overflow], selection())).toEqual([LEAD_B]);
		expect(recordIdsToRead([created, deleted, gap, overflow], selection([], undefined, true))).toEqual([LEAD_A, LEAD_B]);
	});
});

describe('items', () => {
	it('one per record ID, the body as sent, $event with ISO commit time, $record when asked', () => {
		const event = readChangeEvent(message('UPDATE', { Rating: 'Hot' }, { recordIds: [LEAD_A, LEAD_B], changedFields: ['Rating', 'LastModifiedDate'] }));
		const records = new Map([[LEAD_A, { Id: LEAD_A, Rating: 'Hot', LastName: 'A' }], [LEAD_B, null]]);
		const items = eventItems(event, selection([], undefined, true), records);
		expect(items).toEqual([
			{
				Id: LEAD_A,
				Rating: 'Hot',
				$event: {
					type: 'updated',
					object: 'Lead',
					changedFields: ['Rating', 'LastModifiedDate'],
					commitTimestamp: '2026-11-22T10:00:00.000Z',
					commitUser: '0055f000005mc66AAA',
					transactionKey: '0002343d-9d90-e395-ed20-cf416ba652ad',
					sequenceNumber: 1,
					replayId: 42,
					gap: false,
				},
				$record: { Id: LEAD_A, Rating: 'Hot', LastName: 'A' },
			},
			expect.objectContaining({ Id: LEAD_B, Rating: 'Hot', $record: null }),
		]);
		// Items do not share objects: a later node changing one leaves the others alone.
		expect(items[0].$event).not.toBe(items[1].$event);
		expect(eventItems(event, selection(), records)[0]).not.toHaveProperty('$record');
	});

	it('a gap event: its records as read again, those the value filters reject left out', () => {
		const gap = readChangeEvent(message('GAP_UPDATE', {}, { recordIds: [LEAD_A, LEAD_B] }));
		const records = new Map([[LEAD_A, { Id: LEAD_A, Status: 'Working' }], [LEAD_B, { Id: LEAD_B, Status: 'Open' }]]);
		const items = eventItems(gap, selection([{ field: 'Status', to: 'value', value: 'Working' }]), records);
		expect(items).toEqual([{ Id: LEAD_A, $event: expect.objectContaining({ type: 'updated', gap: true, changedFields: [] }), $record: { Id: LEAD_A, Status: 'Working' } }]);
	});

	it('an overflow event: one item saying what is missing', () => {
		const overflow = readChangeEvent(message('GAP_OVERFLOW', {}, { recordIds: [] }));
		expect(eventItems(overflow, selection(), new Map())).toEqual([
			{ $event: expect.objectContaining({ type: 'overflow', object: 'Lead', replayId: 42 }), message: expect.stringMatching(/more than 100,000.*GAP_OVERFLOW/) },
		]);
	});

	it('reconciled records: type "reconciled", commit time from SystemModstamp, filtered on current values', () => {
		const records = [
			{ Id: LEAD_A, SystemModstamp: '2026-11-22T10:00:05.000+0000', LastModifiedById: '0055f000005mc66AAA', Status: 'Working' },
			{ Id: LEAD_B, SystemModstamp: '2026-11-22T10:00:06.000+0000', Status: 'Open' },
		];
		expect(reconciledItems(records, 'Lead', [{ field: 'Status', to: 'value', value: 'Working' }])).toEqual([
			{
				Id: LEAD_A,
				$event: expect.objectContaining({ type: 'reconciled', object: 'Lead', commitTimestamp: '2026-11-22T10:00:05.000Z', commitUser: '0055f000005mc66AAA', replayId: null, gap: true }),
				$record: records[0],
			},
		]);
	});
});
