// What an AI agent reads when a tool call fails: n8n's agent passes the error's message only.
import { NodeOperationError, type INode } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import { isAgentTool, withDetailsForAgent } from '../../nodes/Salesforce/actions/toolkit/agent';
import { unknownFieldFix } from '../../nodes/Salesforce/actions/toolkit/records';
import type { DescribeField, DescribeResult } from '../../nodes/Salesforce/transport';

const node = (type: string) => ({ id: '1', name: 'Salesforce CRM', type, typeVersion: 2, position: [0, 0], parameters: {} }) as INode;

const field = (name: string, label: string, writable = true): DescribeField => ({
	name,
	label,
	type: 'string',
	nillable: true,
	createable: writable,
	updateable: writable,
	defaultedOnCreate: false,
	externalId: false,
});

const lead = (fields: DescribeField[]) => ({ name: 'Lead', keyPrefix: '00Q', fields }) as unknown as DescribeResult;

describe('errors for AI agents', () => {
	it('knows the tool variant n8n derives from usableAsTool', () => {
		expect(isAgentTool(node('n8n-nodes-salesforce.salesforceCrmTool'))).toBe(true);
		expect(isAgentTool(node('n8n-nodes-salesforce.salesforceCrm'))).toBe(false);
	});

	it('puts the fix into the message once, without the item index a tool call has no use for', () => {
		const error = new NodeOperationError(node('x'), 'No field "Rating__c" on Lead (item 0)', { description: 'Did you mean Rating?' });
		expect((withDetailsForAgent(error) as Error).message).toBe('No field "Rating__c" on Lead\n\nDetails: Did you mean Rating?');
		expect((withDetailsForAgent(error) as Error).message).toBe('No field "Rating__c" on Lead\n\nDetails: Did you mean Rating?');
		const mentioned = new NodeOperationError(node('x'), 'Use (item 2) of the list as the value');
		expect((withDetailsForAgent(mentioned) as Error).message).toBe('Use (item 2) of the list as the value');
		const bare = new NodeOperationError(node('x'), 'Timed out');
		expect((withDetailsForAgent(bare) as Error).message).toBe('Timed out');
	});

	it('an unknown field names the field meant and the fields the operation can set', () => {
		const fields = [field('Id', 'Lead ID', false), field('LastName', 'Last Name'), field('Rating', 'Rating'), field('LeadSource', 'Lead Source')];
		expect(unknownFieldFix('Rating__c', lead(fields), 'update')).toMatch(/^Did you mean Rating\? Use the API name of a Lead field; this operation can set LastName, Rating, LeadSource\./);
		expect(unknownFieldFix('Last_Name', lead(fields), 'create')).toMatch(/^Did you mean LastName\?/);
		expect(unknownFieldFix('lead source', lead(fields), 'create')).toMatch(/^Did you mean LeadSource\?/);
		expect(unknownFieldFix('Lead ID', lead(fields), 'update')).not.toContain('Did you mean'); // read-only: not offered
		expect(unknownFieldFix('Favourite_Colour__c', lead(fields), 'update')).toMatch(/^Use the API name/);
	});

	it('lists at most 40 fields', () => {
		const many = Array.from({ length: 45 }, (_, i) => field(`F${i}__c`, `F${i}`));
		const fix = unknownFieldFix('Nope', lead(many), 'create');
		expect(fix).toContain('F39__c, and 5 more.');
		expect(fix).not.toContain('F40__c');
	});
});
