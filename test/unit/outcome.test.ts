// The error a write gets when its answer never arrived.
import { NodeApiError, type INode } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import { OUTCOME_UNKNOWN, OutcomeUnknownError } from '../../nodes/Salesforce/transport';

const node = { id: 'n', name: 'Salesforce', type: 'salesforceCrm', typeVersion: 1, position: [0, 0], parameters: {} } as INode;

describe('OutcomeUnknownError', () => {
	it('is a NodeApiError whose response says the outcome is unknown and how to check', () => {
		const error = new OutcomeUnknownError(node, { operation: 'create', reason: 'the connection closed before Salesforce answered', itemIndex: 3 });
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.errorCode).toBe(OUTCOME_UNKNOWN);
		expect(error.errorResponse).toMatchObject({ errorCode: 'OUTCOME_UNKNOWN', outcome: 'unknown' });
		expect(error.message).toBe('OUTCOME_UNKNOWN: the connection closed before Salesforce answered, so the create may or may not have been saved');
		expect(error.description).toMatch(/^The record may exist in Salesforce\. Before running the workflow again, look it up/);
		expect(error.context.itemIndex).toBe(3);
	});
});
