// The Salesforce CRM Instant Trigger through n8n-core's trigger path (TriggersAndPollers, TriggerContext, static data
// saved on emit and after activation; WorkflowExecute for Fetch Test Event) against the emulator's Change Data Capture
// over CometD: every event type, field-change filters, multi-record events, gap and overflow events, dropped long
// polls, expired tokens, restarts with a stored replay ID, an expired replay ID, setup mistakes.
import type { Connection } from 'jsforce';
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { SalesforceCrmInstantTrigger } from '../../nodes/Salesforce/SalesforceCrmInstantTrigger.node.ts';
import { reconnectPolicy } from '../../nodes/Salesforce/transport/index.ts';
import { DEFAULT_CDC_SELECTION, RETENTION_MS, startEmulator, type Emulator } from '../emulator/index.ts';
import { connect } from '../fidelity/helpers.ts';
import { createHarness, waitUntil, type ActiveTrigger, type Harness } from './harness.ts';

const trigger = new SalesforceCrmInstantTrigger();
let emulator: Emulator;
let harness: Harness;
/** A Salesforce user's app making changes through the API (one call, one transaction). */
let salesforce: Connection;
const active: ActiveTrigger[] = [];

beforeAll(async () => {
	emulator = await startEmulator({ port: 0, seed: true });
	harness = await createHarness(emulator);
	salesforce = (await connect(emulator)).conn;
	reconnectPolicy.firstDelayMs = 50;
});
afterAll(async () => {
	await Promise.all(active.map((one) => one.close()));
	await emulator?.close();
});
beforeEach(() => emulator.clock.advance(60_000));
afterEach(async () => {
	await Promise.all(active.splice(0).map((one) => one.close()));
	emulator.faults.reset();
	emulator.cdc.select(DEFAULT_CDC_SELECTION);
});

async function activate(parameters: INodeParameters, staticData?: IDataObject): Promise<ActiveTrigger> {
	const one = await harness.activateTrigger({ nodeType: trigger, parameters, staticData });
	active.push(one);
	return one;
}

const event = (item: INodeExecutionData) => item.json.$event as IDataObject;
const summary = (items: INodeExecutionData[]) => items.map((item) => `${String(event(item).type)}:${String(item.json.Id)}`);
const memoryOf = (staticData: IDataObject) => staticData['node:Salesforce'] as IDataObject;
const newLead = async (lastName: string, extra: IDataObject = {}) =>
	((await salesforce.sobject('Lead').create({ LastName: lastName, Company: 'Instant', ...extra })) as { id: string }).id;
/** Resolves after `ms`: to show that nothing more arrives. */
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Salesforce CRM Instant Trigger (n8n trigger path)', () => {
	it('emits created, updated, deleted and undeleted leads with their fields and $event, and saves the replay ID', async () => {
		const live = await activate({ sobject: 'Lead', events: ['created', 'updated', 'deleted', 'undeleted'] });
		expect(memoryOf(live.savedStaticData)).toMatchObject({ channel: '/data/LeadChangeEvent', listeningSince: expect.any(Number) });

		const id = await newLead('Lovelace', { FirstName: 'Ada', City: 'London' });
		await salesforce.sobject('Lead').update({ Id: id, Title: 'Countess', Company: 'Engines' });
		await salesforce.sobject('Lead').destroy(id);
		emulator.store.undelete('Lead', id);
		const items = await live.waitForItems(4);

		expect(summary(items)).toEqual([`created:${id}`, `updated:${id}`, `deleted:${id}`, `undeleted:${id}`]);
		const [created, updated, deleted] = items.map((item) => item.json);
		const retained = emulator.cdc.events().filter((retainedEvent) => retainedEvent.data.payload.ChangeEventHeader.recordIds.includes(id));
		expect(created).toMatchObject({ Id: id, Name: { FirstName: 'Ada', LastName: 'Lovelace' }, Address: { City: 'London' }, Company: 'Instant' });
		expect(created.$event).toEqual({
			type: 'created',
			object: 'Lead',
			changedFields: expect.arrayContaining(['Name.FirstName', 'Name.LastName', 'Company', 'Address.City']),
			commitTimestamp: new Date(retained[0].data.payload.ChangeEventHeader.commitTimestamp).toISOString(),
			commitUser: expect.stringMatching(/^005/),
			transactionKey: retained[0].data.payload.ChangeEventHeader.transactionKey,
			sequenceNumber: 1,
			replayId: retained[0].replayId,
			gap: false,
		});
		expect(updated).toEqual({
			Id: id,
			Title: 'Countess',
			Company: 'Engines',
			LastModifiedDate: expect.any(String),
			$event: expect.objectContaining({ type: 'updated', changedFields: ['Title', 'Company', 'LastModifiedDate'], replayId: retained[1].replayId }),
		});
		expect(deleted).toEqual({ Id: id, $event: expect.objectContaining({ type: 'deleted', changedFields: [] }) });
		expect(memoryOf(live.savedStaticData)).toEqual({ channel: '/data/LeadChangeEvent', replayId: retained[3].replayId, commitTimestamp: expect.any(Number) });
	});

	it('emits only the chosen events', async () => {
		const live = await activate({ sobject: 'Lead', events: ['deleted'] });
		const id = await newLead('Only deletions');
		await salesforce.sobject('Lead').update({ Id: id, Title: 'Ignored' });
		await salesforce.sobject('Lead').destroy(id);
		expect(summary(await live.waitForItems(1))).toEqual([`deleted:${id}`]);
		await pause(300);
		expect(live.items()).toHaveLength(1);
	});

	it('filters on field changes: a field changed, to a value, cleared; compound components by their field names', async () => {
		const opportunity = ((await salesforce.sobject('Opportunity').create({ Name: 'Deal', StageName: 'Prospecting', CloseDate: '2026-12-31' })) as { id: string }).id;
		const won = await activate({
			sobject: 'Opportunity',
			events: ['updated'],
			fieldChanges: { change: [{ field: 'stagename', to: 'value', value: 'Closed Won' }] },
		});
		const renamed = await activate({ sobject: 'Lead', events: ['created', 'updated'], fieldChanges: { change: [{ field: 'LastName', to: 'any' }] } });
		const cleared = await activate({ sobject: 'Lead', events: ['updated'], fieldChanges: { change: [{ field: 'Title', to: 'empty' }] } });

		await salesforce.sobject('Opportunity').update({ Id: opportunity, Amount: 5000 });
		await salesforce.sobject('Opportunity').update({ Id: opportunity, StageName: 'Negotiation/Review' });
		await salesforce.sobject('Opportunity').update({ Id: opportunity, StageName: 'Closed Won' });
		const lead = await newLead('Byron', { Title: 'Poet' });
		await salesforce.sobject('Lead').update({ Id: lead, Phone: '555-0100' });
		await salesforce.sobject('Lead').update({ Id: lead, LastName: 'King' });
		await salesforce.sobject('Lead').update({ Id: lead, Title: null });

		const [stage] = await won.waitForItems(1);
		expect(stage.json).toMatchObject({ Id: opportunity, StageName: 'Closed Won', $event: { type: 'updated', changedFields: expect.arrayContaining(['StageName']) } });
		expect(summary(await renamed.waitForItems(2))).toEqual([`created:${lead}`, `updated:${lead}`]);
		expect(renamed.items()[1].json).toMatchObject({ Name: { LastName: 'King' }, $event: { changedFields: ['Name.LastName', 'LastModifiedDate'] } });
		expect((await cleared.waitForItems(1)).map((item) => item.json.Title)).toEqual([null]);
		await pause(300);
		expect([won.items().length, renamed.items().length, cleared.items().length]).toEqual([1, 2, 1]);
	});

	it('emits one item per record of a merged event, with current values read in one query', async () => {
		const ids = await Promise.all(['One', 'Two', 'Three'].map((name) => newLead(name)));
		const live = await activate({ sobject: 'Lead', events: ['updated'], options: { includeRecord: true } });
		emulator.requests.reset();
		// One sObject Collections call giving the three leads the same change: Salesforce merges it into one event.
		await salesforce.sobject('Lead').update(ids.map((Id) => ({ Id, Rating: 'Hot' })), { allOrNone: true });
		const items = await live.waitForItems(3);

		expect(items.map((item) => item.json.Id)).toEqual(ids);
		expect(new Set(items.map((item) => event(item).replayId)).size).toBe(1);
		expect(live.emissions).toHaveLength(1);
		for (const [index, item] of items.entries()) {
			expect(item.json).toMatchObject({ Rating: 'Hot', $record: { Id: ids[index], LastName: ['One', 'Two', 'Three'][index], Rating: 'Hot' } });
			expect(item.json.$record).not.toHaveProperty('attributes');
		}
		const queries = Object.entries(emulator.requests.counts().byRoute).filter(([route]) => /query/i.test(route));
		expect(queries.reduce((sum, [, count]) => sum + count, 0)).toBe(1);
	});

	it('re-reads the records of a gap event and reports an overflow event', async () => {
		const live = await activate({ sobject: 'Lead', events: ['created', 'updated'] });
		const id = await newLead('Gap');
		await live.waitForItems(1);
		emulator.faults.injectGap({ entity: 'Lead', count: 1 });
		await salesforce.sobject('Lead').update({ Id: id, Title: 'Changed outside the event' });
		const [, gap] = await live.waitForItems(2);
		expect(gap.json).toMatchObject({ Id: id, $event: { type: 'updated', gap: true, changedFields: [] }, $record: { Id: id, Title: 'Changed outside the event' } });

		emulator.faults.setOverflowThreshold(2);
		await salesforce.sobject('Lead').create(['A', 'B', 'C', 'D'].map((name) => ({ LastName: name, Company: 'Overflow' })), { allOrNone: true });
		const items = await live.waitForItems(5);
		const overflow = items.find((item) => event(item).type === 'overflow');
		expect(overflow?.json).toMatchObject({ $event: { type: 'overflow', object: 'Lead' }, message: expect.stringContaining('GAP_OVERFLOW') });
		expect(items.filter((item) => event(item).type === 'created')).toHaveLength(3);
	});

	it('misses nothing and repeats nothing when a long poll is dropped or Salesforce forgets the client', async () => {
		const live = await activate({ sobject: 'Lead', events: ['created'] });
		const first = await newLead('Before the drop');
		await live.waitForItems(1);
		emulator.faults.inject({ kind: 'dropBefore', path: '/cometd', nth: 1 });
		const second = await newLead('During the drop');
		emulator.cdc.dropSessions();
		const third = await newLead('After the client was forgotten');
		const items = await live.waitForItems(3, 30_000);
		await pause(300);
		expect(live.items().map((item) => item.json.Id)).toEqual([first, second, third]);
		expect(live.errors).toEqual([]);
		expect(items).toHaveLength(3);
	});

	it('renews the token through n8n when it expires mid-stream and goes on', async () => {
		const live = await activate({ sobject: 'Lead', events: ['created'] });
		await newLead('Before expiry');
		await live.waitForItems(1);
		const updates = harness.tokenUpdates;
		emulator.faults.expireTokens();
		await pause(500);
		// The test's own connection renews itself (jsforce refreshFn); the trigger's session is n8n's.
		const after = await newLead('After expiry');
		const items = await live.waitForItems(2, 30_000);
		expect(items.map((item) => item.json.Id).at(-1)).toBe(after);
		expect(harness.tokenUpdates).toBeGreaterThan(updates);
		expect(live.errors).toEqual([]);
	});

	it('delivers the changes made while deactivated exactly once after a restart, from the saved replay ID', async () => {
		const first = await activate({ sobject: 'Lead', events: ['created', 'updated'] });
		const seen = await newLead('Seen');
		await first.waitForItems(1);
		await first.close();

		const missed = [await newLead('Missed one'), await newLead('Missed two')];
		await salesforce.sobject('Lead').update({ Id: seen, Title: 'Changed while off' });
		const restarted = await activate({ sobject: 'Lead', events: ['created', 'updated'] }, first.savedStaticData);
		const items = await restarted.waitForItems(3);
		await pause(300);
		expect(summary(restarted.items())).toEqual([`created:${missed[0]}`, `created:${missed[1]}`, `updated:${seen}`]);
		expect(items).toHaveLength(3);
	});

	it('after a restart before any event, delivers what was published since the first activation', async () => {
		const first = await activate({ sobject: 'Lead', events: ['created'] });
		await first.close();
		const missed = await newLead('Published while off');
		const restarted = await activate({ sobject: 'Lead', events: ['created'] }, first.savedStaticData);
		expect((await restarted.waitForItems(1)).map((item) => item.json.Id)).toEqual([missed]);
	});

	it('warns about an expired replay ID, resumes from the oldest retained event and reconciles the gap', async () => {
		const parameters = { sobject: 'Lead', events: ['created', 'updated'], options: { reconcile: true } };
		const first = await activate(parameters);
		await newLead('Last seen');
		await first.waitForItems(1);
		await first.close();

		emulator.clock.advance(1000);
		const lost = await newLead('Lost with its event');
		emulator.clock.advance(RETENTION_MS + 60_000);
		const retained = await newLead('Still retained');
		const restarted = await activate(parameters, first.savedStaticData);
		const items = await restarted.waitForItems(3);

		const savedReplayId = memoryOf(first.savedStaticData).replayId;
		expect(items[0].json).toMatchObject({
			$event: { type: 'replayGap', object: 'Lead', replayId: savedReplayId },
			message: expect.stringContaining(`after replay ID ${String(savedReplayId)}`),
		});
		// The records changed from the last processed event's second on, up to the oldest retained event: the lost one (and
		// the last seen one, which shares that second), then the retained event itself.
		const reconciled = items.filter((item) => event(item).type === 'reconciled');
		expect(reconciled.map((item) => item.json.Id)).toContain(lost);
		expect(reconciled.map((item) => item.json.Id)).not.toContain(retained);
		expect(reconciled.find((item) => item.json.Id === lost)?.json.$record).toMatchObject({ LastName: 'Lost with its event' });
		const resumed = items.filter((item) => event(item).type === 'created');
		await pause(300);
		expect(summary(restarted.items().filter((item) => event(item).type === 'created'))).toEqual([`created:${retained}`]);
		expect(memoryOf(restarted.savedStaticData)).toMatchObject({ replayId: event(resumed[0]).replayId });
		expect(memoryOf(restarted.savedStaticData)).not.toHaveProperty('gap');
	});

	it('without reconciliation, only warns and resumes', async () => {
		const parameters = { sobject: 'Lead', events: ['created'] };
		const first = await activate(parameters);
		await newLead('Seen');
		await first.waitForItems(1);
		await first.close();
		emulator.clock.advance(RETENTION_MS + 60_000);
		const retained = await newLead('Retained');
		const restarted = await activate(parameters, first.savedStaticData);
		const items = await restarted.waitForItems(2);
		expect(items.map((item) => event(item).type)).toEqual(['replayGap', 'created']);
		expect(items[0].json.message).toMatch(/Turn on Options → Reconcile Missed Changes/);
		expect(items[1].json.Id).toBe(retained);
	});

	it('reconciles up to now when Salesforce retains nothing after the gap', async () => {
		const parameters = { sobject: 'Lead', events: ['created'], options: { reconcile: true } };
		const first = await activate(parameters);
		await newLead('Seen');
		await first.waitForItems(1);
		await first.close();
		emulator.clock.advance(1000);
		const lost = await newLead('Lost');
		emulator.clock.advance(RETENTION_MS + 60_000);
		const restarted = await activate(parameters, first.savedStaticData);
		// The warning at once; the reconciled records once no retained event came to end the gap (GAP_SETTLE_MS).
		expect((await restarted.waitForItems(1))[0].json.$event).toMatchObject({ type: 'replayGap' });
		const items = await restarted.waitForItems(2, 15_000);
		expect(items.slice(1).map((item) => event(item).type)).toEqual(items.slice(1).map(() => 'reconciled'));
		expect(items.map((item) => item.json.Id)).toContain(lost);
		expect(memoryOf(restarted.savedStaticData)).not.toHaveProperty('gap');
	});

	it('stops without losing the events when reading records fails, and delivers them on the next activation', async () => {
		const parameters = { sobject: 'Lead', events: ['created'], options: { includeRecord: true } };
		const first = await activate(parameters);
		const seen = await newLead('Seen');
		await first.waitForItems(1);
		emulator.faults.inject({ path: /\/query/, status: 403, errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.' });
		const unread = await newLead('Could not be read');
		await waitUntil(() => (first.errors.length > 0 ? true : undefined), 10_000, 'the error');
		expect(first.errors[0].message).toMatch(/REQUEST_LIMIT_EXCEEDED/);
		expect(first.items().map((item) => item.json.Id)).toEqual([seen]);

		// n8n activates the workflow again later, from the static data it saved.
		const again = await activate(parameters, first.savedStaticData);
		const items = await again.waitForItems(1);
		expect(items.map((item) => item.json.Id)).toEqual([unread]);
		expect(items[0].json.$record).toMatchObject({ LastName: 'Could not be read' });
	});

	it('watches a custom object on its __ChangeEvent channel', async () => {
		emulator.cdc.select([...DEFAULT_CDC_SELECTION, 'Project__c']);
		const live = await activate({ sobject: 'other', otherObject: 'Project__c', events: ['created'] });
		const id = ((await salesforce.sobject('Project__c').create({ Name: 'Apollo' })) as { id: string }).id;
		expect((await live.waitForItems(1))[0].json).toMatchObject({ Id: id, Name: 'Apollo', $event: { object: 'Project__c' } });
		expect(memoryOf(live.savedStaticData).channel).toBe('/data/Project__ChangeEvent');
	});

	it('names the fix of setup mistakes', async () => {
		emulator.cdc.select(['Lead']);
		await expect(activate({ sobject: 'Contact', events: ['created'] })).rejects.toThrow(/no change events for Contact/);
		await expect(activate({ sobject: 'Contact', events: ['created'] })).rejects.toMatchObject({
			description: expect.stringContaining("Setup → Integrations → Change Data Capture"),
		});
		await expect(activate({ sobject: 'Lead', events: [] })).rejects.toThrow(/Choose at least one event/);
		await expect(activate({ sobject: 'Lead', events: ['created'], fieldChanges: { change: [{ field: 'NoSuchField__c', to: 'any' }] } })).rejects.toThrow(
			/No field "NoSuchField__c" on Lead/,
		);
		await expect(activate({ sobject: 'Event__e', events: ['created'] })).rejects.toThrow(/Event__e has no change events/);
	});

	it('stops listening when deactivated', async () => {
		const live = await activate({ sobject: 'Lead', events: ['created'] });
		await live.close();
		emulator.requests.reset();
		await newLead('After deactivation');
		await pause(1500);
		expect(live.items()).toEqual([]);
		const streaming = Object.entries(emulator.requests.counts().byRoute).filter(([route]) => route.includes('cometd'));
		expect(streaming).toEqual([]);
	});

	it('Fetch Test Event: the next change, or the newest retained one', async () => {
		const parameters = { sobject: 'Lead', events: ['created'], options: { testEventWaitSeconds: 3 } };
		const retained = await newLead('Newest retained');
		const waiting = harness.fetchTestEvent({ nodeType: trigger, parameters });
		expect((await waiting).items.map((item) => item.json.Id)).toEqual([retained]);

		const next = harness.fetchTestEvent({ nodeType: trigger, parameters: { ...parameters, options: { testEventWaitSeconds: 20 } } });
		await pause(2500);
		const created = await newLead('Next one');
		const { items, error } = await next;
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.Id)).toEqual([created]);
	});
});
