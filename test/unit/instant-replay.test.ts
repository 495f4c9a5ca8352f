// The instant trigger's replay bookkeeping (static data) and its queries and channel names: pure code.
import type { INode } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import { readChangeEvent } from '../../nodes/Salesforce/instant/events.ts';
import { changedBetweenSelect, IDS_PER_QUERY, newestChangeSelect, recordsByIdSelects } from '../../nodes/Salesforce/instant/query.ts';
import {
	beginListening,
	forChannel,
	gapMessage,
	isFirstActivation,
	precedesListening,
	recordExpired,
	recordProcessed,
	replayFrom,
	type InstantMemory,
} from '../../nodes/Salesforce/instant/replay.ts';
import { changeEventChannel } from '../../nodes/Salesforce/instant/settings.ts';
import { buildSelect } from '../../nodes/Salesforce/helpers/soql.ts';
import { expiredReplayId, subscriptionError } from '../../nodes/Salesforce/transport/streaming.ts';
import { INJECTION_CORPUS } from '../fixtures/soql-injection.ts';

const CHANNEL = '/data/LeadChangeEvent';
const event = (replayId: number, commitTimestamp: number) =>
	readChangeEvent({
		payload: { ChangeEventHeader: { entityName: 'Lead', recordIds: ['00Q5g00000AbCdEAAA'], changeType: 'CREATE', commitTimestamp, transactionKey: 'k' } },
		event: { replayId },
	});

describe('replay bookkeeping', () => {
	it('a first activation for new events: -1 first, the retained events since on any later subscription', () => {
		const memory: InstantMemory = {};
		forChannel(memory, CHANNEL);
		expect(isFirstActivation(memory)).toBe(true);
		beginListening(memory, 'new', Date.parse('2026-11-22T10:00:00.400Z'));
		expect(isFirstActivation(memory)).toBe(false);
		expect(replayFrom(memory, true)).toBe(-1);
		expect(replayFrom(memory, false)).toBe(-2);
		// Events of the starting second and before are older than the trigger; later ones are not.
		expect(precedesListening(memory, event(5, Date.parse('2026-11-22T10:00:00.900Z')))).toBe(true);
		expect(precedesListening(memory, event(6, Date.parse('2026-11-22T10:00:01.000Z')))).toBe(false);
	});

	it('a first activation for all retained events: -2', () => {
		const memory: InstantMemory = {};
		forChannel(memory, CHANNEL);
		beginListening(memory, 'retained', 0);
		expect(replayFrom(memory, true)).toBe(-2);
		expect(precedesListening(memory, event(1, 0))).toBe(false);
	});

	it('after an event: its replay ID, whatever else was known, and nothing is older than the trigger any more', () => {
		const memory: InstantMemory = {};
		forChannel(memory, CHANNEL);
		beginListening(memory, 'new', Date.parse('2026-11-22T10:00:00Z'));
		recordProcessed(memory, event(41, Date.parse('2026-11-22T10:05:00Z')));
		expect(memory).toEqual({ channel: CHANNEL, replayId: 41, commitTimestamp: Date.parse('2026-11-22T10:05:00Z') });
		expect(replayFrom(memory, true)).toBe(41);
		expect(precedesListening(memory, event(1, 0))).toBe(false);
		expect(isFirstActivation(memory)).toBe(false);
	});

	it('another channel starts over; the same channel keeps the replay ID', () => {
		const memory: InstantMemory = { channel: CHANNEL, replayId: 41, commitTimestamp: 1 };
		forChannel(memory, CHANNEL);
		expect(memory.replayId).toBe(41);
		forChannel(memory, '/data/ContactChangeEvent');
		expect(memory).toEqual({ channel: '/data/ContactChangeEvent' });
	});

	it('an expired replay ID: resume from the oldest retained event; the gap is kept only to reconcile it', () => {
		const after = Date.parse('2026-11-19T10:00:00Z');
		const reconciling: InstantMemory = { channel: CHANNEL, replayId: 41, commitTimestamp: after };
		expect(recordExpired(reconciling, 41, true)).toEqual({ replayId: 41, after });
		expect(reconciling).toEqual({ channel: CHANNEL, commitTimestamp: after, fromRetained: true, gap: { replayId: 41, after } });
		expect(replayFrom(reconciling, false)).toBe(-2);

		const warning: InstantMemory = { channel: CHANNEL, replayId: 41, commitTimestamp: after };
		recordExpired(warning, 41, false);
		expect(warning).not.toHaveProperty('gap');
		recordProcessed(warning, event(90, after + 1));
		expect(warning).toEqual({ channel: CHANNEL, replayId: 90, commitTimestamp: after + 1 });
	});

	it('names the gap and what to do about it', () => {
		const gap = { replayId: 41, after: Date.parse('2026-11-19T10:00:00Z') };
		expect(gapMessage(gap, 'Lead', false)).toBe(
			'Salesforce no longer retains the Lead change events after replay ID 41 (the last processed change was committed 2026-11-19T10:00:00.000Z): it keeps them 72 hours. The trigger resumed with the oldest event Salesforce still has; changes in between are missing. Turn on Options → Reconcile Missed Changes to read the Lead records changed in between.',
		);
		expect(gapMessage(gap, 'Lead', true)).toMatch(/follow as items with \$event.type "reconciled"\.$/);
	});
});

describe('channels and Salesforce answers', () => {
	it('names the channel of a standard or custom object ("Subscription Channels")', () => {
		expect(changeEventChannel('Lead')).toBe('/data/LeadChangeEvent');
		expect(changeEventChannel('Project__c')).toBe('/data/Project__ChangeEvent');
		expect(changeEventChannel('acme__Invoice__c')).toBe('/data/acme__Invoice__ChangeEvent');
		expect(() => changeEventChannel('Order_Placed__e')).toThrow(/has no change events/);
		expect(() => changeEventChannel('Lead/../x')).toThrow(/not a valid Salesforce object name/);
	});

	it('reads an expired replay ID from Salesforce\'s error ("Streaming API Error Codes")', () => {
		expect(expiredReplayId('400::The replayId {1234} you provided was invalid.  Please provide a valid ID, -2 to replay all events, or -1 to replay only new events.')).toBe(1234);
		expect(expiredReplayId('400::The channel you requested to subscribe to does not exist {/data/LeadChangeEvent}')).toBeUndefined();
	});

	it('names the fix of a refused subscription', () => {
		const node = { name: 'Trigger' } as INode;
		const missing = subscriptionError(node, CHANNEL, 'Lead', '400::The channel you requested to subscribe to doesn’t exist {/data/LeadChangeEvent}');
		expect(missing.message).toBe('Salesforce offers no change events for Lead (channel /data/LeadChangeEvent)');
		expect(missing.description).toMatch(/^Select Lead in Salesforce Setup → Integrations → Change Data Capture/);
		expect(subscriptionError(node, CHANNEL, 'Lead', '403::Forbidden').description).toMatch(/"View All Records" on Lead/);
	});
});

describe('queries', () => {
	it(`reads records by ID in queries of ${IDS_PER_QUERY}, deleted or not, IDs checked`, () => {
		const ids = Array.from({ length: 450 }, (_, index) => `00Q5g00000Ab${String(index).padStart(4, '0')}AA`);
		const selects = recordsByIdSelects('Lead', ['Id', 'LastName'], ids);
		expect(selects.map((select) => select.where!.split(',').length)).toEqual([200, 200, 50]);
		expect(buildSelect(selects[2])).toMatch(/^SELECT Id, LastName FROM Lead WHERE Id IN \('00Q5g00000Ab0400AA', /);
		for (const hostile of INJECTION_CORPUS) expect(() => recordsByIdSelects('Lead', ['Id'], [hostile])).toThrow(/is not a Salesforce record ID/);
	});

	it('reads the records changed in a gap by SystemModstamp, from its first second until before the end', () => {
		const from = Date.parse('2026-11-19T10:00:00.700Z');
		expect(buildSelect(changedBetweenSelect('Lead', ['Id'], from, Date.parse('2026-11-22T10:00:03.200Z')))).toBe(
			'SELECT Id FROM Lead WHERE SystemModstamp >= 2026-11-19T10:00:00Z AND SystemModstamp < 2026-11-22T10:00:03Z ORDER BY SystemModstamp ASC, Id ASC',
		);
		expect(buildSelect(changedBetweenSelect('Lead', ['Id'], from))).toBe('SELECT Id FROM Lead WHERE SystemModstamp >= 2026-11-19T10:00:00Z ORDER BY SystemModstamp ASC, Id ASC');
		expect(buildSelect(newestChangeSelect('Lead'))).toBe('SELECT Id, SystemModstamp FROM Lead ORDER BY SystemModstamp DESC, Id DESC LIMIT 1');
	});
});
