import type { INode } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import { toNodeApiError } from '../../nodes/Salesforce/transport/errors.ts';
import { pollChanges, type ChangeSource, type PollSettings, type TriggerMemory } from '../../nodes/Salesforce/trigger/poll.ts';

const node: INode = { id: 'trigger', name: 'Trigger', type: 'salesforceCrmTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
const fields = ['Id', 'Name', 'CreatedDate', 'SystemModstamp'].map((name) => ({ name, type: name === 'Id' ? 'id' : 'string' }));
const settings: PollSettings = {
	sobject: 'Lead',
	event: 'createdOrUpdated',
	fields: [],
	conditions: [],
	combinator: 'AND',
	lookbackMs: 600_000,
	maxRecordsPerPoll: 10,
	startAt: '2026-03-01T12:00:00.000Z',
};

/** A source whose change query fails with `failure`, as the transport reports a Salesforce error. */
function failingSource(failure: unknown): ChangeSource {
	return {
		describe: async () => ({ name: 'Lead', label: 'Lead', fields }) as never,
		query: async () => {
			throw failure;
		},
		queryMore: async () => {
			throw new Error('not reached');
		},
	};
}

describe('poll: a field Salesforce no longer knows', () => {
	it('drops the compiled watch on INVALID_FIELD, recognised by its error code', async () => {
		const memory: TriggerMemory = {};
		const failure = toNodeApiError(node, { errorCode: 'INVALID_FIELD', message: "No such column 'Gone__c' on entity 'Lead'." }, []);
		const outcome = await pollChanges(failingSource(failure), memory, settings, Date.now());
		expect(outcome.interruptedBy).toBe(failure);
		expect(memory.compiled).toBeUndefined();
	});

	it('keeps it for other errors, whatever their text says', async () => {
		const memory: TriggerMemory = {};
		const failure = toNodeApiError(node, { errorCode: 'MALFORMED_QUERY', message: 'INVALID_FIELD: No such column, said a proxy' }, []);
		await pollChanges(failingSource(failure), memory, settings, Date.now());
		expect(memory.compiled?.fields).toEqual(['Id', 'CreatedDate', 'SystemModstamp', 'Name']);
	});
});
