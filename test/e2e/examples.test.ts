// The workflows in examples/, as a user imports them into a real n8n: their credentials are referenced by name (no
// IDs, no secrets) and n8n's import resolves them; every parameter of our nodes is one the editor shows for the
// chosen resource and operation, with no issue, and every value picked from a list is one the editor lists; then
// each example runs (`n8n execute`) against the emulator and its records are checked there.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import {
	NodeHelpers,
	type INode,
	type INodeParameters,
	type INodeProperties,
	type INodeTypeDescription,
	type ResourceMapperField,
} from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import { authorizeWithCode } from '../integration/harness.ts';
import {
	CREDENTIAL_TYPE,
	appCredential,
	executeWorkflow,
	importCredentials,
	importWorkflows,
	nodeOutput,
	root,
	useN8n,
} from './support.ts';

type Workflow = { id: string; name: string; nodes: INode[]; connections: Record<string, unknown> };

const EXAMPLES = join(root, 'examples');
/** Each example by file name, with the ID it is imported under (the files carry none, as an export to share). */
const IDS: Record<string, string> = {
	'sync-contacts-client-credentials.json': 'exampleSyncCont1',
	'leads-to-opportunities-authorization-code.json': 'exampleHotLeads1',
};
/** The credentials a user creates as each example's note says, by the names the examples reference. */
const CREDENTIAL_IDS: Record<string, string> = {
	'Salesforce (client credentials)': 'exampleClientCr1',
	'Salesforce (authorization code)': 'exampleAuthCode1',
};

const examples = (): Workflow[] =>
	readdirSync(EXAMPLES)
		.filter((file) => file.endsWith('.json'))
		.map((file) => ({ ...JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')), id: IDS[file] }));
const example = (id: string) => examples().find((workflow) => workflow.id === id)!;
const ourNodes = (workflow: Workflow) => workflow.nodes.filter((node) => node.type.startsWith('n8n-nodes-salesforce.'));
const isExpression = (value: unknown) => typeof value === 'string' && value.startsWith('=');

const live = useN8n('n8n-e2e-examples-', {
	prepare: async ({ emulator, folder }) => {
		const token = await authorizeWithCode(emulator.url, 'authorizationCode', 'emulator-consumer-key', 'emulator-consumer-secret');
		await importCredentials(folder.userFolder, [
			{ ...appCredential(CREDENTIAL_IDS['Salesforce (client credentials)'], emulator.url), name: 'Salesforce (client credentials)' },
			{
				id: CREDENTIAL_IDS['Salesforce (authorization code)'],
				name: 'Salesforce (authorization code)',
				type: CREDENTIAL_TYPE,
				data: {
					grantType: 'authorizationCode',
					domain: emulator.url,
					allowLocalTestServer: true,
					clientId: 'emulator-consumer-key',
					clientSecret: 'emulator-consumer-secret',
					oauthTokenData: token,
				},
			},
			// Another credential of the same type: the examples must pick theirs by name, not as the only one.
			{ ...appCredential('exampleOtherOrg1', emulator.url), name: 'Salesforce (another org)' },
		]);
		await importWorkflows(folder.userFolder, examples());
	},
});

describe('examples/ in a real n8n', () => {
	it('there is an example per scenario, without secrets, its credentials referenced by name only', () => {
		expect(examples().map((workflow) => workflow.id).sort()).toEqual(Object.values(IDS).sort());
		for (const workflow of examples()) {
			const text = JSON.stringify(workflow);
			expect(text).not.toMatch(/emulator-consumer|access_token|refresh_token|clientSecret|127\.0\.0\.1/);
			for (const node of ourNodes(workflow)) {
				expect(node.credentials?.[CREDENTIAL_TYPE]).toEqual({ id: null, name: expect.any(String) });
			}
		}
	});

	it.each(Object.values(IDS))('%s: n8n resolves the credential by name on import', async (id) => {
		const stored = (await live.rest.request('GET', `/rest/workflows/${id}`)) as Workflow;
		for (const node of ourNodes(example(id))) {
			const { name } = node.credentials![CREDENTIAL_TYPE];
			const imported = stored.nodes.find((candidate) => candidate.name === node.name)!;
			expect(imported.credentials?.[CREDENTIAL_TYPE], node.name).toEqual({ id: CREDENTIAL_IDS[name], name });
		}
	});

	it.each(Object.values(IDS))('%s: every parameter is one the editor shows, with no issue, and listed values exist', async (id) => {
		const { nodes } = (await live.rest.types()) as { nodes: INodeTypeDescription[] };
		const workflow = example(id);
		expect(workflow.nodes.length).toBeGreaterThan(0);
		for (const node of workflow.nodes) {
			const versions = nodes.filter((type) => type.name === node.type).flatMap((type) => [type.version].flat());
			expect(versions, `${node.name}: ${node.type} v${node.typeVersion}`).toContain(node.typeVersion);
		}
		for (const node of ourNodes(workflow)) {
			const type = nodes.find((candidate) => candidate.name === node.type)!;
			// What the editor keeps of the parameters: only the ones it displays for this resource and operation.
			const shown = Object.keys(NodeHelpers.getNodeParameters(type.properties, node.parameters, true, false, node, type) ?? {});
			expect(Object.keys(node.parameters).filter((name) => !shown.includes(name)), `${node.name}: parameters the editor does not show`).toEqual([]);
			expect(NodeHelpers.getNodeParametersIssues(type.properties, node, type), `${node.name}: parameter issues`).toBeNull();
			const credentials = { [CREDENTIAL_TYPE]: { id: CREDENTIAL_IDS[node.credentials![CREDENTIAL_TYPE].name], name: node.credentials![CREDENTIAL_TYPE].name } };
			await checkListedValues(node, type, credentials);
		}
	});

	it('sync contacts: creates the new contacts, updates the known one, and a second run creates nothing', async () => {
		const before = live.emulator.store.all('Contact').length;
		const known = live.emulator.store.all('Contact').find((contact) => contact.External_Id__c === 'CONTACT-0001')!;
		live.emulator.requests.reset();
		const first = await executeWorkflow(live.folder.userFolder, IDS['sync-contacts-client-credentials.json']);
		expect(first.error, first.stdout).toBeUndefined();
		const calls = live.emulator.requests.counts();
		console.log(`sync contacts: ${first.ms} ms, API calls ${JSON.stringify(calls.byRoute)}`);
		// The three contacts travel in one sObject Collections upsert.
		expect(calls.byRoute['PATCH /services/data/v{version}/composite/sobjects/{sobject}/{field}']).toBe(1);
		const output = nodeOutput(first.run, 'Create or update contacts');
		expect(output.map((item) => [item.External_Id__c, item.created])).toEqual([
			['CONTACT-0001', false],
			['CRM-1815', true],
			['CRM-1906', true],
		]);
		expect(output[0].Id).toBe(known.Id);
		expect(live.emulator.store.all('Contact')).toHaveLength(before + 2);
		for (const item of output) {
			expect(live.emulator.store.get('Contact', item.Id as string)).toMatchObject({
				External_Id__c: item.External_Id__c,
				LastName: item.LastName,
				Email: item.Email,
				Title: item.Title,
			});
		}
		expect(live.emulator.store.get('Contact', known.Id as string)).toMatchObject({ Email: 'frank.martin@example.com' });

		const second = await executeWorkflow(live.folder.userFolder, IDS['sync-contacts-client-credentials.json']);
		expect(second.error, second.stdout).toBeUndefined();
		expect(nodeOutput(second.run, 'Create or update contacts').map((item) => item.created)).toEqual([false, false, false]);
		expect(live.emulator.store.all('Contact')).toHaveLength(before + 2);
	});

	it('hot leads to opportunities: converts the three oldest open hot leads and qualifies their opportunities', async () => {
		const hot = () =>
			live.emulator.store
				.all('Lead')
				.filter((lead) => lead.Rating === 'Hot' && lead.IsConverted === false)
				.sort((a, b) => String(a.CreatedDate).localeCompare(String(b.CreatedDate)));
		const expected = hot().slice(0, 3);
		expect(expected).toHaveLength(3);
		const result = await executeWorkflow(live.folder.userFolder, IDS['leads-to-opportunities-authorization-code.json']);
		expect(result.error, result.stdout).toBeUndefined();
		expect(nodeOutput(result.run, 'Hot leads').map((lead) => lead.Id)).toEqual(expected.map((lead) => lead.Id));
		const conversions = nodeOutput(result.run, 'Convert lead');
		expect(conversions.map((conversion) => conversion.leadId)).toEqual(expected.map((lead) => lead.Id));
		expect(nodeOutput(result.run, 'Qualify opportunity')).toHaveLength(3);
		expected.forEach((lead, index) => {
			const converted = live.emulator.store.get('Lead', lead.Id as string)!;
			expect(converted).toMatchObject({ IsConverted: true, Status: 'Closed - Converted', ConvertedOpportunityId: conversions[index].opportunityId });
			expect(live.emulator.store.get('Opportunity', conversions[index].opportunityId as string)).toMatchObject({
				Name: `${lead.Company} - first order`,
				StageName: 'Qualification',
				NextStep: `Discovery call with ${lead.FirstName} ${lead.LastName}`,
				AccountId: conversions[index].accountId,
			});
		});
		expect(hot().map((lead) => lead.Id)).not.toContain(expected[0].Id);
	});
});

/**
 * Every value of the node chosen from a list (options loaded from Salesforce, resource mapper columns) is one the
 * editor lists for it: the same requests the editor sends to n8n's dynamic-node-parameters API.
 */
async function checkListedValues(node: INode, type: INodeTypeDescription, credentials: Record<string, unknown>) {
	const request = (path: string, body: Record<string, unknown>) =>
		live.rest.request('POST', `/rest/dynamic-node-parameters/${path}`, {
			nodeTypeAndVersion: { name: node.type, version: node.typeVersion },
			currentNodeParameters: node.parameters,
			credentials,
			...body,
		});
	const walk = async (properties: INodeProperties[], values: INodeParameters, path: string) => {
		for (const property of properties) {
			const value = values[property.name];
			if (value === undefined || !NodeHelpers.displayParameter(values, property, node, type, node.parameters)) continue;
			const at = `${path}.${property.name}`;
			const method = property.typeOptions?.loadOptionsMethod;
			if (method && !isExpression(value)) {
				const options = (await request('options', { path: at, methodName: method })) as Array<{ value: unknown }>;
				expect(options.map((option) => option.value), `${node.name}: ${at}`).toContain(value);
			}
			if (property.type === 'resourceMapper') {
				const method = property.typeOptions!.resourceMapper!.resourceMapperMethod!;
				const { fields } = (await request('resource-mapper-fields', { path: at, methodName: method })) as { fields: ResourceMapperField[] };
				const columns = value as { schema: ResourceMapperField[]; value: Record<string, unknown> };
				expect(columns.schema.map((column) => column.id).sort(), `${node.name}: columns with a value`).toEqual(Object.keys(columns.value).sort());
				for (const column of columns.schema) {
					expect(column, `${node.name}: column ${column.id}`).toEqual(fields.find((field) => field.id === column.id));
				}
			}
			if (property.type === 'fixedCollection') {
				for (const option of property.options as Array<{ name: string; values: INodeProperties[] }>) {
					const entries = [(value as INodeParameters)[option.name] ?? []].flat() as INodeParameters[];
					for (const [index, entry] of entries.entries()) await walk(option.values, entry, `${at}.${option.name}[${index}]`);
				}
			}
			if (property.type === 'collection') await walk(property.options as INodeProperties[], value as INodeParameters, at);
		}
	};
	await walk(type.properties, node.parameters, 'parameters');
}
