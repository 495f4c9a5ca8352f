// Workflows saved with the node as released before the resource registry (commit fb5a566: resources Lead, Contact,
// Opportunity; node versions 1 and 2) keep working. test/fixtures/workflows/released-v{1,2}.json are such workflows as
// n8n's editor saved them: parameters without the released description's defaults (so "Create Lead" holds neither
// resource nor operation, lead and create being the defaults, and conditions no operator), resource mapper schemas as
// the released editor loaded them, On Error settings. Each Salesforce node's saved parameters run, with its saved
// typeVersion and On Error, through n8n-core against the emulator, on items this test gives it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IDataObject, INode } from 'n8n-workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startNodeFixture, type NodeFixture } from './node-fixture.ts';

type Row = Record<string, any>;

let fixture: NodeFixture;
beforeAll(async () => {
	fixture = await startNodeFixture();
});
afterAll(async () => await fixture?.close());

const store = () => fixture.emulator.store;
const acme = () => store().all('Account').find((account) => account.Name === 'Acme Corp')!.Id as string;
const campaign = () => store().all('Campaign').find((row) => row.Name === 'Paris Trade Show')!.Id as string;

describe.each([1, 2])('a workflow saved with node version %i', (version) => {
	const workflow = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'workflows', `released-v${version}.json`), 'utf8')) as { nodes: INode[] };
	const prefix = `Compat v${version}`;
	const ids: Record<string, string> = {};

	function saved(name: string): INode {
		const node = workflow.nodes.find((candidate) => candidate.name === name);
		if (!node) throw new Error(`released-v${version}.json has no node "${name}"`);
		expect(node).toMatchObject({ type: 'n8n-nodes-salesforce.salesforceCrm', typeVersion: version });
		return node;
	}

	/** Runs a saved node (its parameters, typeVersion and On Error) on the items; fails the test on a node error. */
	async function run(name: string, items: IDataObject[]): Promise<Row[]> {
		const node = saved(name);
		const result = await fixture.harness.runNode({
			nodeType: fixture.nodeType,
			parameters: structuredClone(node.parameters),
			typeVersion: node.typeVersion,
			onError: node.onError,
			items,
		});
		expect(result.error, `${name}: ${result.error?.message}`).toBeUndefined();
		// Every input item is answered, and every output item is paired with the input item it answers.
		const paired = result.items.map((item) => (item.pairedItem as { item: number }).item);
		expect(new Set(paired)).toEqual(new Set(items.map((_, index) => index)));
		return result.items.map((item) => item.json);
	}

	it('every saved node is of this package and this version, and the workflow covers every released resource and operation', () => {
		const nodes = workflow.nodes.filter((node) => node.type === 'n8n-nodes-salesforce.salesforceCrm');
		expect(nodes.every((node) => node.typeVersion === version)).toBe(true);
		// Saved parameters omit defaults: resource lead and operation create.
		const pairs = new Set(nodes.map((node) => `${node.parameters.resource ?? 'lead'}:${node.parameters.operation ?? 'create'}`));
		const operations = ['create', 'update', 'upsert', 'get', 'getAll', 'delete', 'addNote', 'describe'];
		const expected = [
			...['lead', 'contact', 'opportunity'].flatMap((resource) => operations.map((operation) => `${resource}:${operation}`)),
			'lead:addToCampaign',
			'contact:addToCampaign',
			'lead:convert',
		];
		expect([...pairs].sort()).toEqual(expected.sort());
	});

	describe('leads', () => {
		it('Create Lead (saved without resource and operation: the defaults) creates leads from the mapper', async () => {
			expect(saved('Create Lead').parameters).not.toHaveProperty('resource');
			expect(saved('Create Lead').parameters).not.toHaveProperty('operation');
			const out = await run('Create Lead', [
				{ lastName: `${prefix} Ada`, company: 'Compat Ltd', email: 'ada@compat.example' },
				{ lastName: `${prefix} Bob`, company: 'Compat Ltd', email: 'bob@compat.example' },
			]);
			[ids.ada, ids.bob] = out.map((record) => record.Id as string);
			expect(ids.ada).toMatch(/^00Q/);
			expect(store().get('Lead', ids.ada)).toMatchObject({ LastName: `${prefix} Ada`, Company: 'Compat Ltd', Email: 'ada@compat.example', LeadSource: 'Web' });
			expect(store().get('Lead', ids.bob)).toMatchObject({ LastName: `${prefix} Bob`, Email: 'bob@compat.example' });
		});

		it('Get Lead returns the selected fields', async () => {
			const [lead] = await run('Get Lead', [{ Id: ids.ada }]);
			expect(lead).toEqual({
				Id: ids.ada,
				LastName: `${prefix} Ada`,
				Company: 'Compat Ltd',
				Email: 'ada@compat.example',
				LeadSource: 'Web',
				Status: 'Open - Not Contacted',
			});
		});

		it(
			version === 1
				? 'Update Lead (version 1) leaves a mapped field whose value is empty unchanged'
				: 'Update Lead (version 2) fails an item whose mapped field is empty, with On Error: continue',
			async () => {
				const [out] = await run('Update Lead', [{ Id: ids.ada, title: 'CTO', email: '' }]);
				if (version === 1) {
					expect(out).not.toHaveProperty('error');
					expect(store().get('Lead', ids.ada)).toMatchObject({ Title: 'CTO', Email: 'ada@compat.example' });
				} else {
					expect(out.error).toMatch(/Email/);
					expect(store().get('Lead', ids.ada)).toMatchObject({ Title: null, Email: 'ada@compat.example' });
				}
			},
		);

		it('Upsert Lead (JSON) creates, then updates the same lead', async () => {
			const item = { key: `COMPAT-LEAD-V${version}`, lastName: `${prefix} Cy` };
			const [first] = await run('Upsert Lead', [item]);
			const [second] = await run('Upsert Lead', [{ ...item, lastName: `${prefix} Cyrus` }]);
			expect(first).toMatchObject({ created: true });
			expect(second).toMatchObject({ Id: first.Id, created: false });
			expect(store().get('Lead', first.Id)).toMatchObject({ External_Id__c: item.key, LastName: `${prefix} Cyrus`, Company: 'Upserted Ltd' });
		});

		it('Find Leads (a condition saved without its operator: equals) finds the lead', async () => {
			const found = await run('Find Leads', [{ lastName: `${prefix} Ada` }]);
			expect(found.map((lead) => lead.Id)).toEqual([ids.ada]);
			expect(found[0]).toMatchObject({ LastName: `${prefix} Ada`, Company: 'Compat Ltd', Status: 'Open - Not Contacted' });
		});

		it('Add Note to Lead adds a private note', async () => {
			const [note] = await run('Add Note to Lead', [{ Id: ids.ada, title: 'Call' }]);
			expect(store().get('Note', note.Id)).toMatchObject({ ParentId: ids.ada, Title: 'Call', Body: 'Left a voicemail', IsPrivate: true });
		});

		it('Add Lead to Campaign adds a member with the saved status', async () => {
			const [member] = await run('Add Lead to Campaign', [{ Id: ids.ada, campaignId: campaign() }]);
			expect(member).toMatchObject({ CampaignId: campaign(), LeadId: ids.ada, Status: 'Responded', alreadyMember: false });
		});

		it('Convert Lead converts into a new account, contact and opportunity', async () => {
			const [converted] = await run('Convert Lead', [{ Id: ids.bob, company: 'Compat Ltd' }]);
			expect(converted).toEqual({
				leadId: ids.bob,
				accountId: expect.stringMatching(/^001/),
				contactId: expect.stringMatching(/^003/),
				opportunityId: expect.stringMatching(/^006/),
			});
			expect(store().get('Lead', ids.bob)).toMatchObject({ IsConverted: true, Status: 'Closed - Converted' });
			expect(store().get('Opportunity', converted.opportunityId)).toMatchObject({ Name: 'Compat Ltd renewal' });
			expect(store().get('Contact', converted.contactId)).toMatchObject({ LastName: `${prefix} Bob`, LeadSource: 'Web' });
			ids.bobContact = converted.contactId;
		});

		it('Describe Leads lists the writable fields only (Include Read-Only off)', async () => {
			const [described] = await run('Describe Leads', [{}]);
			const names = (described.fields as Row[]).map((field) => field.name);
			expect(described).toMatchObject({ name: 'Lead' });
			expect(names).toEqual(expect.arrayContaining(['LastName', 'Company', 'External_Id__c']));
			expect(names).not.toContain('IsConverted');
		});

		it('Delete Lead deletes the lead', async () => {
			await run('Delete Lead', [{ Id: ids.ada }]);
			expect(store().get('Lead', ids.ada)).toMatchObject({ IsDeleted: true });
		});
	});

	describe('contacts', () => {
		it('Create Contact maps the input automatically (unknown keys ignored) and links the account option', async () => {
			const [contact] = await run('Create Contact', [
				{ FirstName: 'Grace', LastName: `${prefix} Hopper`, Email: 'grace@compat.example', Phone: '555-0100', account: acme(), source: 'n8n' },
			]);
			ids.grace = contact.Id;
			expect(store().get('Contact', ids.grace)).toMatchObject({
				FirstName: 'Grace',
				LastName: `${prefix} Hopper`,
				Email: 'grace@compat.example',
				Phone: '555-0100',
				AccountId: acme(),
			});
		});

		it('Update Contact (JSON) sets a field and clears another with null', async () => {
			await run('Update Contact', [{ Id: ids.grace, title: 'Rear Admiral' }]);
			expect(store().get('Contact', ids.grace)).toMatchObject({ Title: 'Rear Admiral', Phone: null, Email: 'grace@compat.example' });
		});

		it('Upsert Contact (mapper, Empty Values: clear) creates, then clears the emptied field', async () => {
			const item = { key: `COMPAT-CONTACT-V${version}`, lastName: `${prefix} Lamarr` };
			const [created] = await run('Upsert Contact', [{ ...item, points: 120 }]);
			expect(created).toMatchObject({ created: true });
			expect(store().get('Contact', created.Id)).toMatchObject({ LastName: `${prefix} Lamarr`, Loyalty_Points__c: 120 });
			const [updated] = await run('Upsert Contact', [{ ...item, points: '' }]);
			expect(updated).toMatchObject({ Id: created.Id, created: false });
			expect(store().get('Contact', created.Id)).toMatchObject({ Loyalty_Points__c: null });
			ids.hedy = created.Id;
		});

		it('Get Contact returns every field (the saved default: all fields)', async () => {
			const [contact] = await run('Get Contact', [{ Id: ids.grace }]);
			expect(contact).toMatchObject({ Id: ids.grace, Title: 'Rear Admiral', AccountId: acme(), Department: null, Loyalty_Points__c: null });
			expect(contact).not.toHaveProperty('attributes');
		});

		it('Find Contacts (a WHERE clause from an expression) finds the contacts created, upserted and converted', async () => {
			const found = await run('Find Contacts', [{ prefix }]);
			expect(found.map((contact) => contact.Id).sort()).toEqual([ids.grace, ids.hedy, ids.bobContact].sort());
		});

		it('Add Note to Contact adds a note without a body', async () => {
			const [note] = await run('Add Note to Contact', [{ Id: ids.grace }]);
			expect(store().get('Note', note.Id)).toMatchObject({ ParentId: ids.grace, Title: 'Met at the conference' });
		});

		it("Add Contact to Campaign (no status saved) uses the campaign's default status", async () => {
			const [member] = await run('Add Contact to Campaign', [{ Id: ids.grace, campaignId: campaign() }]);
			expect(member).toMatchObject({ CampaignId: campaign(), ContactId: ids.grace, alreadyMember: false });
			expect(store().get('CampaignMember', member.Id)).toMatchObject({ Status: 'Sent' });
		});

		it('Describe Contacts lists read-only fields too (the saved default)', async () => {
			const [described] = await run('Describe Contacts', [{}]);
			expect((described.fields as Row[]).map((field) => field.name)).toEqual(expect.arrayContaining(['LastName', 'CreatedDate']));
		});

		it('Delete Contact (Bulk: never) deletes the contacts', async () => {
			await run('Delete Contact', [{ Id: ids.grace }, { Id: ids.hedy }]);
			for (const id of [ids.grace, ids.hedy]) expect(store().get('Contact', id)).toMatchObject({ IsDeleted: true });
		});
	});

	describe('opportunities', () => {
		it('Create Opportunity converts the mapped text amount and links the account option', async () => {
			const [opportunity] = await run('Create Opportunity', [{ name: `${prefix} Engine`, amount: '1250.50', account: acme() }]);
			ids.engine = opportunity.Id;
			expect(store().get('Opportunity', ids.engine)).toMatchObject({
				Name: `${prefix} Engine`,
				StageName: 'Prospecting',
				CloseDate: '2026-09-30',
				Amount: 1250.5,
				NextStep: 'Send the proposal',
				AccountId: acme(),
			});
		});

		it('Update Opportunity sets the stage and clears the Fields to Clear', async () => {
			await run('Update Opportunity', [{ Id: ids.engine }]);
			expect(store().get('Opportunity', ids.engine)).toMatchObject({ StageName: 'Closed Won', NextStep: null, Amount: 1250.5 });
		});

		it('Upsert Opportunity (JSON) creates an opportunity', async () => {
			const [upserted] = await run('Upsert Opportunity', [{ key: `COMPAT-OPP-V${version}`, name: `${prefix} Renewal` }]);
			expect(upserted).toMatchObject({ created: true });
			ids.renewal = upserted.Id;
			expect(store().get('Opportunity', ids.renewal)).toMatchObject({ Name: `${prefix} Renewal`, StageName: 'Qualification', CloseDate: '2026-10-31' });
		});

		it('Get Opportunity returns the common fields', async () => {
			const [opportunity] = await run('Get Opportunity', [{ Id: ids.engine }]);
			expect(opportunity).toMatchObject({ Id: ids.engine, Name: `${prefix} Engine`, StageName: 'Closed Won', Amount: 1250.5, AccountId: acme() });
			expect(opportunity).not.toHaveProperty('NextStep');
		});

		it('Count Opportunities (SOQL COUNT() from an expression) returns the count', async () => {
			expect(await run('Count Opportunities', [{ prefix }])).toEqual([{ totalSize: 2 }]);
		});

		it('Add Note to Opportunity adds a public note', async () => {
			const [note] = await run('Add Note to Opportunity', [{ Id: ids.engine, body: 'Discount 5%' }]);
			expect(store().get('Note', note.Id)).toMatchObject({ ParentId: ids.engine, Title: 'Pricing agreed', Body: 'Discount 5%', IsPrivate: false });
		});

		it('Describe Opportunities describes the object', async () => {
			const [described] = await run('Describe Opportunities', [{}]);
			expect(described).toMatchObject({ name: 'Opportunity' });
			expect((described.fields as Row[]).find((field) => field.name === 'StageName')).toMatchObject({ type: 'picklist', required: true });
		});

		it('Delete Opportunity deletes the opportunities', async () => {
			await run('Delete Opportunity', [{ Id: ids.engine }, { Id: ids.renewal }]);
			for (const id of [ids.engine, ids.renewal]) expect(store().get('Opportunity', id)).toMatchObject({ IsDeleted: true });
		});
	});
});
