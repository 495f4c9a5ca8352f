import type { ITriggerFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { assertObjectName, isApiName, oneOf, soqlInteger, SoqlError } from '../helpers/soql';
import { quoteValue } from '../helpers/text';
import { timeoutSecondsOf } from '../transport/context';
import { watchedObject } from '../trigger/loadOptions';
import { CHANGE_KINDS, type ChangeKind, type FieldChange, type Selection } from './events';
import type { StartWith } from './replay';

/** Fetch Test Event waits this long for a new event before taking the newest retained one. */
export const DEFAULT_TEST_EVENT_WAIT_SECONDS = 30;
const MAX_TEST_EVENT_WAIT_SECONDS = 600;

export interface InstantSettings extends Selection {
	sobject: string;
	channel: string;
	/** Read the records changed during a replay gap (SystemModstamp) when Salesforce no longer retains its events. */
	reconcile: boolean;
	startWith: StartWith;
	testEventWaitMs: number;
	timeoutMs: number;
}

/**
 * The channel of an object's change events ("Subscription Channels", Change Data Capture Developer Guide):
 * /data/<Object>ChangeEvent for a standard object, /data/<Name>__ChangeEvent for a custom object <Name>__c.
 */
export function changeEventChannel(sobject: string): string {
	const name = assertObjectName(sobject);
	if (name.endsWith('__c')) return `/data/${name.slice(0, -'c'.length)}ChangeEvent`;
	if (name.includes('__')) {
		throw new SoqlError(`${name} has no change events: Change Data Capture covers standard objects and custom objects (names ending in __c)`);
	}
	return `/data/${name}ChangeEvent`;
}

/** The trigger's parameters, each checked; a NodeOperationError names the one that is not valid and the fix. */
export function readInstantSettings(ctx: ITriggerFunctions): InstantSettings {
	try {
		return settingsOf(ctx);
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), error as Error, { description: 'Check the parameters of the trigger.' });
	}
}

function settingsOf(ctx: ITriggerFunctions): InstantSettings {
	const sobject = watchedObject(ctx.getNodeParameter('sobject') as string, ctx.getNodeParameter('otherObject', ''));
	if (!sobject) throw new SoqlError('Choose the object to watch (Object, or Other Object Name)');
	const kinds = ctx.getNodeParameter('events', []) as unknown;
	if (!Array.isArray(kinds) || kinds.length === 0) throw new SoqlError('Choose at least one event in Events (Created, Updated, Deleted, Undeleted)');
	const changes = (ctx.getNodeParameter('fieldChanges', {}) as { change?: Array<Partial<FieldChange>> }).change ?? [];
	const options = ctx.getNodeParameter('options', {}) as {
		includeRecord?: unknown;
		reconcile?: unknown;
		startWith?: unknown;
		testEventWaitSeconds?: unknown;
	};
	const waitSeconds = soqlInteger('Test Event Wait (Seconds)', options.testEventWaitSeconds ?? DEFAULT_TEST_EVENT_WAIT_SECONDS);
	if (waitSeconds > MAX_TEST_EVENT_WAIT_SECONDS) {
		throw new SoqlError(`Test Event Wait (Seconds) must be at most ${MAX_TEST_EVENT_WAIT_SECONDS}, not ${waitSeconds}`);
	}
	return {
		sobject,
		channel: changeEventChannel(sobject),
		kinds: kinds.map((kind) => oneOf<ChangeKind>('Events', kind, CHANGE_KINDS)),
		fieldChanges: changes.map(fieldChangeOf),
		includeRecord: options.includeRecord === true,
		reconcile: options.reconcile === true,
		startWith: oneOf<StartWith>('Start With', options.startWith ?? 'new', ['new', 'retained']),
		testEventWaitMs: waitSeconds * 1000,
		timeoutMs: timeoutSecondsOf(ctx) * 1000,
	};
}

function fieldChangeOf(change: Partial<FieldChange>, index: number): FieldChange {
	const field = String(change.field ?? '').trim();
	if (!field) throw new SoqlError(`Field Changes: choose the field of change ${index + 1}`);
	if (!isApiName(field)) throw new SoqlError(`Field Changes: ${quoteValue(field)} is not a field API name (like StageName or Status__c)`);
	const to = oneOf<FieldChange['to']>(`New Value (change of ${field})`, change.to ?? 'any', ['any', 'value', 'empty']);
	if (to === 'value' && (change.value === undefined || change.value === null)) {
		throw new SoqlError(`Field Changes: enter the value ${field} must change to, or set New Value to ${quoteValue('Any Value')}`);
	}
	return { field, to, value: to === 'value' ? String(change.value) : undefined };
}
