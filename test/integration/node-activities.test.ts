// Convert lead, add to campaign, add note and describe, through n8n-core against the emulator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { byId, mapped, startNodeFixture, type NodeFixture } from './node-fixture.ts';

let fixture: NodeFixture;
beforeAll(async () => {
	fixture = await startNodeFixture();
});
afterAll(async () => await fixture?.close());

type Row = Record<string, unknown> & { Id: string };
const rows = (sobject: string) => fixture.emulator.store.all(sobject) as Row[];

async function newLead(lastName: string) {
	const [lead] = await fixture.json({ resource: 'lead', operation: 'create', columns: mapped({ LastName: lastName, Company: `${lastName} Ltd` }) });
	return lead.Id as string;
}

describe('convert lead', () => {
	it('creates account, contact and opportunity and returns their IDs', async () => {
		const leadId = await newLead('Converted');
		const [result] = await fixture.json({
			resource: 'lead',
			operation: 'convert',
			recordId: byId(leadId),
			convertedStatus: 'Closed - Converted',
			createOpportunity: true,
			opportunityName: 'From n8n',
		});
		expect(result).toEqual({
			leadId,
			accountId: expect.stringMatching(/^001/),
			contactId: expect.stringMatching(/^003/),
			opportunityId: expect.stringMatching(/^006/),
		});
		expect(fixture.emulator.store.get('Lead', leadId)).toMatchObject({ IsConverted: true });
		expect(fixture.emulator.store.get('Opportunity', result.opportunityId as string)).toMatchObject({ Name: 'From n8n' });
	});

	it('attaches to an existing account without an opportunity', async () => {
		const leadId = await newLead('Attached');
		const account = rows('Account')[0];
		const [result] = await fixture.json({
			resource: 'lead',
			operation: 'convert',
			recordId: byId(leadId),
			convertedStatus: 'Closed - Converted',
			accountId: byId(account.Id),
			createOpportunity: false,
		});
		expect(result).toMatchObject({ leadId, accountId: account.Id, opportunityId: null });
	});

	it('reports a non-converted status as the item’s error with continue-on-fail', async () => {
		const leadId = await newLead('Wrong status');
		const result = await fixture.run(
			{ resource: 'lead', operation: 'convert', recordId: byId(leadId), convertedStatus: 'Working - Contacted' },
			[{}],
			'continueRegularOutput',
		);
		expect(result.items[0].json).toMatchObject({ statusCode: expect.any(String), error: expect.stringMatching(/\(item 0\)$/) });
	});

	it('offers the converted statuses of the org', async () => {
		const options = await fixture.harness.loadOptions(fixture.nodeType, 'getConvertedStatuses', { resource: 'lead', operation: 'convert' });
		expect(options).toEqual([{ name: 'Closed - Converted', value: 'Closed - Converted' }]);
	});
});

describe('add to campaign', () => {
	const campaign = () => rows('Campaign').find((row) => row.Name === 'Paris Trade Show')!;

	it('adds leads and contacts with a status from the campaign, and reports existing memberships', async () => {
		const statuses = await fixture.harness.loadOptions(fixture.nodeType, 'getCampaignMemberStatuses', {
			resource: 'lead',
			operation: 'addToCampaign',
			campaignId: byId(campaign().Id),
		});
		expect(statuses.map((status) => status.value)).toEqual(['Sent', 'Responded']);

		const leadId = await newLead('Member');
		const parameters = { resource: 'lead', operation: 'addToCampaign', recordId: byId('={{ $json.id }}'), campaignId: byId(campaign().Id), status: 'Responded' };
		const [added] = await fixture.json(parameters, [{ id: leadId }]);
		expect(added).toMatchObject({ Id: expect.any(String), CampaignId: campaign().Id, LeadId: leadId, Status: 'Responded', alreadyMember: false });

		const again = await fixture.run(parameters, [{ id: leadId }]);
		expect(again.error).toBeUndefined();
		expect(again.items[0].json).toMatchObject({ Id: added.Id, LeadId: leadId, alreadyMember: true });

		const contact = rows('Contact')[3];
		const [contactMember] = await fixture.json({ ...parameters, resource: 'contact', recordId: byId(contact.Id), status: '' });
		expect(contactMember).toMatchObject({ ContactId: contact.Id, alreadyMember: false });
	});
});

describe('add note', () => {
	it('attaches notes to many records in one call', async () => {
		const opportunities = rows('Opportunity').slice(0, 3);
		fixture.emulator.requests.reset();
		const notes = await fixture.json(
			{ resource: 'opportunity', operation: 'addNote', recordId: byId('={{ $json.id }}'), title: '={{ "Call " + $itemIndex }}', body: 'Went well', options: { isPrivate: true } },
			opportunities.map((opportunity) => ({ id: opportunity.Id })),
		);
		expect(notes).toEqual(
			opportunities.map((opportunity, index) => ({ Id: expect.any(String), ParentId: opportunity.Id, Title: `Call ${index}`, Body: 'Went well', IsPrivate: true })),
		);
		expect(fixture.emulator.store.get('Note', notes[0].Id as string)).toMatchObject({ Title: 'Call 0', IsPrivate: true });
	});
});

describe('describe', () => {
	it('lists fields with types, picklist values, required flags and record types', async () => {
		const [lead] = await fixture.json({ resource: 'lead', operation: 'describe' });
		const fields = lead.fields as Array<Record<string, unknown>>;
		expect(lead).toMatchObject({ name: 'Lead', keyPrefix: '00Q' });
		expect(fields.find((field) => field.name === 'LastName')).toMatchObject({ type: 'string', required: true });
		expect(fields.find((field) => field.name === 'Favorite_Color__c')).toMatchObject({
			type: 'picklist',
			custom: true,
			picklistValues: [
				{ value: 'Red', label: 'Red' },
				{ value: 'Green', label: 'Green' },
				{ value: 'Blue', label: 'Blue' },
			],
		});
		const [opportunity] = await fixture.json({ resource: 'opportunity', operation: 'describe', includeReadOnly: false });
		expect((opportunity.recordTypes as Array<Record<string, unknown>>).map((recordType) => recordType.name)).toEqual(
			expect.arrayContaining(['New Business', 'Renewal']),
		);
		expect((opportunity.fields as Array<Record<string, unknown>>).some((field) => field.name === 'CreatedDate')).toBe(false);
	});
});
