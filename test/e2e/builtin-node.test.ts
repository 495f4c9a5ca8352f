// Emulator fidelity with a client nobody here wrote: n8n's built-in Salesforce node (n8n-nodes-base.salesforce),
// unmodified, in a real n8n process, creates, reads and lists leads against the emulator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startEmulator, type Emulator } from '../emulator/index.ts';
import { executeWorkflow, importCredentials, importWorkflows, linearWorkflow, nodeOutput, preparedUserFolder } from './support.ts';

let emulator: Emulator;
let folder: Awaited<ReturnType<typeof preparedUserFolder>>;

beforeAll(async () => {
	emulator = await startEmulator({ port: 0 });
	folder = await preparedUserFolder('n8n-e2e-builtin-', { install: false });

	// The built-in credential only knows login.salesforce.com: store a token from the emulator (as after the OAuth
	// dance) whose instance_url points the node at the emulator.
	const response = await fetch(`${emulator.url}/services/oauth2/token`, {
		method: 'POST',
		body: new URLSearchParams({
			grant_type: 'client_credentials',
			client_id: 'emulator-consumer-key',
			client_secret: 'emulator-consumer-secret',
		}),
	});
	expect(response.status).toBe(200);
	const token = (await response.json()) as { access_token: string; instance_url: string };
	expect(token.instance_url).toBe(emulator.url);

	await importCredentials(folder.userFolder, [
		{
			id: 'builtinSfCred001',
			name: 'Built-in Salesforce',
			type: 'salesforceOAuth2Api',
			data: {
				environment: 'production',
				clientId: 'emulator-consumer-key',
				clientSecret: 'emulator-consumer-secret',
				oauthTokenData: { access_token: token.access_token, instance_url: token.instance_url, token_type: 'Bearer' },
			},
		},
	]);
	const credentials = { salesforceOAuth2Api: { id: 'builtinSfCred001', name: 'Built-in Salesforce' } };
	const salesforce = (name: string, parameters: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
		name,
		type: 'n8n-nodes-base.salesforce',
		typeVersion: 1,
		parameters: { authentication: 'oAuth2', resource: 'lead', ...parameters },
		credentials,
		...extra,
	});
	await importWorkflows(folder.userFolder, [
		linearWorkflow('builtinLeads0001', [
			salesforce('Create Lead', {
				operation: 'create',
				company: 'Analytical Engines Ltd',
				lastname: 'Lovelace',
				additionalFields: { firstname: 'Ada', email: 'ada@example.com' },
			}),
			salesforce('Get Lead', { operation: 'get', leadId: '={{ $json.id }}' }),
			salesforce('Get Many Leads', { operation: 'getAll', returnAll: false, limit: 5 }, { executeOnce: true }),
		]),
	]);
}, 300_000);

afterAll(async () => {
	await emulator?.close();
	folder?.cleanup();
});

describe("n8n's built-in Salesforce node against the emulator", () => {
	it('creates, gets and lists leads through `n8n execute`', async () => {
		emulator.requests.reset();
		const result = await executeWorkflow(folder.userFolder, 'builtinLeads0001');
		expect(result.error, result.stdout).toBeUndefined();
		expect(result.ok).toBe(true);

		const [created] = nodeOutput(result.run, 'Create Lead');
		expect(created).toMatchObject({ success: true, errors: [] });
		expect(created.id).toMatch(/^00Q[a-zA-Z0-9]{15}$/);

		const [lead] = nodeOutput(result.run, 'Get Lead');
		expect(lead).toMatchObject({ Id: created.id, LastName: 'Lovelace', FirstName: 'Ada', Company: 'Analytical Engines Ltd' });
		expect(emulator.store.get('Lead', created.id as string)).toMatchObject({ Email: 'ada@example.com' });

		const many = nodeOutput(result.run, 'Get Many Leads');
		expect(many.length).toBe(5);
		for (const record of many) expect(record.Id).toMatch(/^00Q/);

		const counts = emulator.requests.counts();
		console.log(`built-in node: n8n execute ${result.ms} ms; emulator API calls ${JSON.stringify(counts)}`);
		expect(counts.token).toBe(0);
		expect(counts.data).toBeGreaterThanOrEqual(3);
	});
});
