// The Salesforce CRM Trigger through n8n-core's real polling path (PollContext, workflow static data) against the
// emulator: each event type, manual mode, first activation, restarts, the cap, errors.
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { SalesforceCrmTrigger } from '../../nodes/Salesforce/SalesforceCrmTrigger.node.ts';
import { startEmulator, type Emulator } from '../emulator/index.ts';
import { HOSTILE_KEYWORDS } from '../fixtures/soql-injection.ts';
import { createHarness, type Harness } from './harness.ts';

const trigger = new SalesforceCrmTrigger();
let emulator: Emulator;
let harness: Harness;

beforeAll(async () => {
	emulator = await startEmulator({ port: 0, seed: true });
	harness = await createHarness(emulator);
});
afterAll(async () => emulator?.close());

// Tests share the org: each starts a day after everything the previous ones wrote.
beforeEach(() => {
	emulator.faults.reset();
	emulator.clock.advance(86_400_000);
});

/** A trigger as n8n runs it: the static data it returns is the static data of the next poll. */
function activeTrigger(parameters: INodeParameters) {
	let staticData: IDataObject = {};
	return {
		async poll() {
			const result = await harness.poll({ nodeType: trigger, parameters, staticData });
			staticData = result.staticData;
			return result.items?.[0] ?? [];
		},
		get staticData() {
			return staticData;
		},
		set staticData(value: IDataObject) {
			staticData = value;
		},
	};
}

const events = (items: INodeExecutionData[]) =>
	items.map((item) => `${(item.json.$event as IDataObject).type}:${String(item.json.LastName)}`);
const lead = (name: string) => emulator.store.insert('Lead', { LastName: name, Company: 'Trigger Test' });
const params = (event: string, extra: INodeParameters = {}): INodeParameters => ({
	sobject: 'Lead',
	event,
	filters: { where: "Company = 'Trigger Test'" },
	options: { fields: ['LastName', 'Company'] },
	...extra,
});

describe('Salesforce CRM Trigger (n8n polling path)', () => {
	it('Created or Updated: activation emits nothing, then each change once, with $event metadata', async () => {
		const active = activeTrigger(params('createdOrUpdated'));
		lead('Before');
		expect(await active.poll()).toEqual([]);

		emulator.clock.advance(2000);
		const created = lead('Ada');
		const items = await active.poll();
		expect(events(items)).toEqual(['created:Ada']);
		expect(items[0].json).toMatchObject({
			Id: created.Id,
			LastName: 'Ada',
			Company: 'Trigger Test',
			$event: { type: 'created', at: new Date(String(created.CreatedDate).replace('+0000', 'Z')).toISOString(), object: 'Lead' },
		});
		expect(items[0].json).not.toHaveProperty('attributes');
		expect(await active.poll()).toEqual([]);

		emulator.clock.advance(2000);
		emulator.store.update('Lead', String(created.Id), { Title: 'CTO' });
		expect(events(await active.poll())).toEqual(['updated:Ada']);
		expect(await active.poll()).toEqual([]);
	});

	it.each([
		['Account', { Name: 'Watched account' }],
		['Case', { Subject: 'Watched case' }],
		['Task', { Subject: 'Watched task' }],
	])('watches %s, listed by name: each new record once', async (sobject, values) => {
		const active = activeTrigger({ sobject, event: 'created' });
		expect(await active.poll()).toEqual([]);
		emulator.clock.advance(2000);
		const created = emulator.store.insert(sobject, values);
		const items = await active.poll();
		expect(items.map((item) => [item.json.Id, (item.json.$event as IDataObject).type, (item.json.$event as IDataObject).object])).toEqual([
			[created.Id, 'created', sobject],
		]);
		expect(await active.poll()).toEqual([]);
	});

	it('items carry parent fields without their attributes envelope', async () => {
		const active = activeTrigger(params('created', { options: { fields: ['LastName', 'Owner.Name'] } }));
		expect(await active.poll()).toEqual([]);
		emulator.clock.advance(2000);
		lead('Parent');
		const [item] = await active.poll();
		expect(item.json.Owner).toEqual({ Name: expect.any(String) });
	});

	it('Created or Updated: a record created and edited between polls yields created and updated', async () => {
		const active = activeTrigger(params('createdOrUpdated'));
		await active.poll();
		emulator.clock.advance(1000);
		const record = lead('Grace');
		emulator.clock.advance(1000);
		emulator.store.update('Lead', String(record.Id), { Title: 'Admiral' });
		expect(events(await active.poll())).toEqual(['created:Grace', 'updated:Grace']);
	});

	it('Created: one item per new record, edits are not reported', async () => {
		const active = activeTrigger(params('created'));
		await active.poll();
		emulator.clock.advance(1000);
		const record = lead('Linus');
		emulator.clock.advance(1000);
		emulator.store.update('Lead', String(record.Id), { Title: 'Maintainer' });
		expect(events(await active.poll())).toEqual(['created:Linus']);
		emulator.clock.advance(1000);
		emulator.store.update('Lead', String(record.Id), { Title: 'BDFL' });
		expect(await active.poll()).toEqual([]);
	});

	it('Updated: edits only, not creations', async () => {
		const existing = lead('Margaret');
		const active = activeTrigger(params('updated'));
		await active.poll();
		emulator.clock.advance(1000);
		lead('New');
		emulator.store.update('Lead', String(existing.Id), { Title: 'Director' });
		expect(events(await active.poll())).toEqual(['updated:Margaret']);
	});

	it('Deleted: deletions through queryAll, with the deletion time', async () => {
		const doomed = lead('Doomed');
		const active = activeTrigger(params('deleted'));
		await active.poll();
		emulator.clock.advance(1000);
		emulator.store.delete('Lead', String(doomed.Id));
		const items = await active.poll();
		expect(events(items)).toEqual(['deleted:Doomed']);
		expect(items[0].json.Id).toBe(doomed.Id);
		expect(await active.poll()).toEqual([]);
	});

	it('a late commit inside the lookback window is reported once', async () => {
		const active = activeTrigger(params('createdOrUpdated'));
		await active.poll();
		emulator.clock.advance(60_000);
		lead('Visible');
		expect(events(await active.poll())).toEqual(['created:Visible']);
		// A transaction that started 30 s ago commits now, behind the change already reported.
		emulator.store.insert('Lead', { LastName: 'Late', Company: 'Trigger Test' }, { at: new Date(emulator.clock.now().getTime() - 30_000) });
		expect(events(await active.poll())).toEqual(['created:Late']);
		expect(await active.poll()).toEqual([]);
	});

	it('a drained burst of 10,000 changes: idle polls cost one call while it settles, then one re-read finds a late commit inside it, once', async () => {
		const company = 'Burst Test';
		const active = activeTrigger(params('created', { filters: { where: `Company = '${company}'` }, options: { fields: ['LastName'] } }));
		await active.poll();
		emulator.clock.freeze();
		emulator.clock.advance(1000);
		const burstAt = emulator.clock.now();
		for (let index = 0; index < 10_000; index++) {
			// Two seconds of changes, so that a late commit stamped in the first lands behind the position.
			if (index === 5000) emulator.clock.advance(1000);
			emulator.store.insert('Lead', { LastName: `Burst ${index}`, Company: company });
		}
		/** One poll: [items, API calls]. */
		const polled = async () => {
			emulator.requests.reset();
			const items = await active.poll();
			const { data, token } = emulator.requests.counts();
			return { items: events(items), calls: data + token };
		};
		const drain = [];
		for (let poll = 0; poll < 6; poll++) drain.push(await polled());
		expect(drain.map(({ items, calls }) => [items.length, calls])).toEqual([[2000, 1], [2000, 1], [2000, 1], [2000, 1], [2000, 1], [0, 1]]);
		expect(new Set(drain.flatMap(({ items }) => items)).size).toBe(10_000);

		// A transaction stamped with the burst commits now: while the burst's stretch settles, polls do not re-read it.
		emulator.clock.advance(5000);
		emulator.store.insert('Lead', { LastName: 'Late', Company: company }, { at: burstAt });
		expect(await polled()).toEqual({ items: [], calls: 1 });
		expect(await polled()).toEqual({ items: [], calls: 1 });

		// Ten minutes on (a new lead shows the trigger Salesforce's clock), no late commit can reach the burst any more:
		// the next poll re-reads it once, from the floor (10,002 records, 2,000 a page), and reports the late commit.
		emulator.clock.advance(10 * 60_000);
		emulator.store.insert('Lead', { LastName: 'After', Company: company });
		expect(await polled()).toEqual({ items: ['created:After'], calls: 1 });
		expect(await polled()).toEqual({ items: ['created:Late'], calls: 6 });
		expect(await polled()).toEqual({ items: [], calls: 1 });
		expect(await polled()).toEqual({ items: [], calls: 1 });
	});

	it('the cap leaves the rest for the next polls, in order, nothing twice', async () => {
		const active = activeTrigger(params('created', { options: { fields: ['LastName'], maxRecordsPerPoll: 3 } }));
		await active.poll();
		emulator.clock.freeze();
		emulator.clock.advance(1000);
		for (let index = 0; index < 7; index++) lead(`Same second ${index}`);
		const polls = [await active.poll(), await active.poll(), await active.poll(), await active.poll()];
		expect(polls.map((items) => items.length)).toEqual([3, 3, 1, 0]);
		const names = polls.flat().map((item) => String(item.json.LastName));
		expect(new Set(names).size).toBe(7);
	});

	it('a restart or a deactivate/activate resumes from the saved static data: no replay, no gap', async () => {
		const active = activeTrigger(params('createdOrUpdated'));
		await active.poll();
		emulator.clock.advance(1000);
		lead('One');
		expect(events(await active.poll())).toEqual(['created:One']);
		const saved = structuredClone(active.staticData);

		emulator.clock.advance(1000);
		lead('Two');
		const resumed = activeTrigger(params('createdOrUpdated'));
		resumed.staticData = saved;
		expect(events(await resumed.poll())).toEqual(['created:Two']);
	});

	it('Start From: the first activation reports changes after that date', async () => {
		const startAt = emulator.clock.now().toISOString();
		emulator.clock.advance(1000);
		lead('Backfilled');
		const active = activeTrigger(params('created', { options: { fields: ['LastName'], startAt } }));
		expect(events(await active.poll())).toEqual(['created:Backfilled']);
	});

	it('manual mode returns the newest matching record and leaves the cursor alone', async () => {
		emulator.clock.advance(1000);
		lead('Older');
		emulator.clock.advance(1000);
		lead('Newest');
		const staticData = { untouched: true };
		const result = await harness.poll({ nodeType: trigger, parameters: params('createdOrUpdated'), staticData, mode: 'manual' });
		expect(events(result.items![0])).toEqual(['created:Newest']);
		expect(result.staticData).toEqual(staticData);
	});

	it('an idle poll costs one API call and no token request', async () => {
		const active = activeTrigger(params('createdOrUpdated'));
		await active.poll();
		await active.poll();
		emulator.requests.reset();
		await active.poll();
		const counts = emulator.requests.counts();
		expect({ data: counts.data, token: counts.token }).toEqual({ data: 1, token: 0 });
	});

	it('a failed poll keeps the cursor, reports REQUEST_LIMIT_EXCEEDED with the fix, and the next poll catches up', async () => {
		const active = activeTrigger(params('createdOrUpdated'));
		await active.poll();
		emulator.clock.advance(1000);
		lead('Waiting');
		const before = structuredClone(active.staticData);
		emulator.faults.inject({ path: '/query', status: 403, errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.' });
		const failure = await active.poll().catch((error: Error & { description?: string }) => error);
		expect(failure).toBeInstanceOf(Error);
		expect((failure as Error).message).toMatch(/REQUEST_LIMIT_EXCEEDED/);
		expect((failure as { description?: string }).description).toMatch(/API Requests/);
		expect(active.staticData).toEqual(before);
		expect(events(await active.poll())).toEqual(['created:Waiting']);
	});

	it('refuses hostile combinators, record types, limits and fields arriving through expressions, before any query', async () => {
		const expression = (value: unknown) => `={{ ${JSON.stringify(value)} }}`;
		const conditions = { condition: [{ field: 'LastName', operator: 'equal', value: 'x' }] };
		const cases: Array<[INodeParameters, RegExp]> = [
			...HOSTILE_KEYWORDS.combinators.map((combinator): [INodeParameters, RegExp] => [
				{ filters: { conditions, combinator: expression(combinator) } },
				/Match \(filters\) must be one of AND, OR/,
			]),
			...HOSTILE_KEYWORDS.operators.map((operator): [INodeParameters, RegExp] => [
				{ filters: { conditions: { condition: [{ field: 'LastName', operator: expression(operator), value: 'x' }] } } },
				/Operator \(condition on LastName\) must be one of/,
			]),
			...HOSTILE_KEYWORDS.recordTypeIds.map((recordTypeId): [INodeParameters, RegExp] => [
				{ filters: { recordTypeId: expression(recordTypeId) } },
				/Record Type must be a record type ID/,
			]),
			...HOSTILE_KEYWORDS.fieldNames.map((field): [INodeParameters, RegExp] => [{ options: { fields: expression([field]) } }, /No field .* on Lead/]),
			...HOSTILE_KEYWORDS.objectNames
				.filter(Boolean)
				.map((name): [INodeParameters, RegExp] => [{ sobject: 'other', otherObject: expression(name) }, /is not a valid Salesforce object name/]),
			...HOSTILE_KEYWORDS.limits
				.filter((limit) => Number.isFinite(limit) || typeof limit === 'string')
				.map((limit): [INodeParameters, RegExp] => [{ options: { maxRecordsPerPoll: expression(limit) } }, /Max Records per Poll must be a whole number/]),
		];
		for (const [extra, refusal] of cases) {
			const active = activeTrigger({ sobject: 'Lead', event: 'createdOrUpdated', ...extra });
			emulator.requests.reset();
			const failure = await active.poll().then(
				() => undefined,
				(error: Error) => error,
			);
			expect(failure?.message, JSON.stringify(extra)).toMatch(refusal);
			expect(emulator.requests.counts().byRoute['GET /services/data/v{version}/query'], JSON.stringify(extra)).toBeUndefined();
		}
	});

	it('lists queryable objects, fields and record types for the editor', async () => {
		const objects = await harness.loadOptions(trigger, 'getQueryableObjects', { sobject: 'other' });
		expect(objects.map((option) => option.value)).toEqual(expect.arrayContaining(['Lead', 'Account']));
		const fields = await harness.loadOptions(trigger, 'getTriggerFields', { sobject: 'Lead' });
		expect(fields.map((option) => option.value)).toContain('LastName');
		const other = await harness.loadOptions(trigger, 'getTriggerFields', { sobject: 'other', otherObject: 'Account' });
		expect(other.map((option) => option.value)).toContain('Industry');
		expect(Array.isArray(await harness.loadOptions(trigger, 'getRecordTypes', { sobject: 'Lead' }))).toBe(true);
	});
});
