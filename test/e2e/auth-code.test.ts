// Authorization code (with and without PKCE) in a real n8n: the token is obtained the way n8n's OAuth callback
// obtains it (authorize → 302 with a code → token exchange with the registered redirect URI and, for PKCE, the
// verifier), stored in the credential's oauthTokenData through `n8n import:credentials`, and used by a workflow.
// After the emulator expires every session, the next run must go through exactly one refresh_token grant.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startEmulator, type Emulator } from '../emulator/index.ts';
import { CALLBACK_URL, authorizeWithCode } from '../integration/harness.ts';
import {
	CREDENTIAL_TYPE,
	NODE_TYPE,
	executeWorkflow,
	importCredentials,
	importWorkflows,
	linearWorkflow,
	nodeOutput,
	preparedUserFolder,
} from './support.ts';

const PKCE_APP = { consumerKey: 'e2e-pkce-consumer-key', consumerSecret: 'e2e-pkce-consumer-secret' };
const CASES = [
	{ grantType: 'authorizationCode' as const, credential: 'e2eAuthCodeCred1', clientId: 'emulator-consumer-key', clientSecret: 'emulator-consumer-secret' },
	{ grantType: 'pkce' as const, credential: 'e2ePkceCred00001', clientId: PKCE_APP.consumerKey, clientSecret: PKCE_APP.consumerSecret },
];

let emulator: Emulator;
let folder: Awaited<ReturnType<typeof preparedUserFolder>>;
const tokens: Record<string, Record<string, unknown>> = {};

const sf = (name: string, parameters: Record<string, unknown>) => ({ name, type: NODE_TYPE, parameters: { resource: 'lead', ...parameters } });
const workflowFor = (credential: string) =>
	linearWorkflow(
		credential,
		[
			sf('Create', { operation: 'create', dataMode: 'json', recordJson: `={{ JSON.stringify({ LastName: 'Code ' + $execution.id, Company: '${credential}' }) }}` }),
			sf('Get', { operation: 'get', recordId: { __rl: true, mode: 'id', value: "={{ $('Create').item.json.Id }}" } }),
		],
		{ id: credential },
	);

async function run(credential: string) {
	emulator.requests.reset();
	const result = await executeWorkflow(folder.userFolder, credential);
	const calls = emulator.requests.counts();
	console.log(`${credential}: ${result.ms} ms, ok=${result.ok}, API calls ${calls.data} data + ${calls.token} token`);
	expect(result.error, result.stdout).toBeUndefined();
	const [created] = nodeOutput(result.run, 'Create');
	const stored = emulator.store.get('Lead', created.Id as string);
	expect(stored).toMatchObject({ Company: credential, LastName: expect.stringMatching(/^Code /) });
	expect(nodeOutput(result.run, 'Get')[0]).toMatchObject({ Id: created.Id, LastName: stored!.LastName, Company: credential });
	return calls;
}

describe('authorization code with a stored token, in n8n', () => {
	beforeAll(async () => {
		emulator = await startEmulator({ port: 0 });
		emulator.apps.add({
			...PKCE_APP,
			clientCredentialsEnabled: false,
			runAsUser: null,
			pkceRequired: true,
			callbackUrls: [CALLBACK_URL],
			scopes: ['api', 'refresh_token'],
		});
		folder = await preparedUserFolder('n8n-e2e-authcode-');
		for (const c of CASES) tokens[c.credential] = await authorizeWithCode(emulator.url, c.grantType, c.clientId, c.clientSecret);
		await importCredentials(
			folder.userFolder,
			CASES.map((c) => ({
				id: c.credential,
				name: `Salesforce ${c.credential}`,
				type: CREDENTIAL_TYPE,
				data: { grantType: c.grantType, domain: emulator.url, allowLocalTestServer: true, clientId: c.clientId, clientSecret: c.clientSecret, oauthTokenData: tokens[c.credential] },
			})),
		);
		await importWorkflows(folder.userFolder, CASES.map((c) => workflowFor(c.credential)));
	}, 600_000);

	afterAll(async () => {
		await emulator?.close();
		folder?.cleanup();
	});

	it('the PKCE app really requires the code challenge', async () => {
		const authorize = new URL('/services/oauth2/authorize', emulator.url);
		authorize.search = new URLSearchParams({ response_type: 'code', client_id: PKCE_APP.consumerKey, redirect_uri: CALLBACK_URL, scope: 'api refresh_token' }).toString();
		const response = await fetch(authorize, { redirect: 'manual' });
		expect(response.status).toBe(302);
		const location = new URL(response.headers.get('location')!);
		expect(location.searchParams.get('code')).toBeNull();
		expect(location.searchParams.get('error_description')).toMatch(/code challenge/);
		for (const c of CASES) expect(tokens[c.credential]).toMatchObject({ refresh_token: expect.any(String), instance_url: emulator.url });
	});

	it.each(CASES)('$grantType: the stored token serves the run as it is', async ({ credential }) => {
		const calls = await run(credential);
		expect(calls.token).toBe(0);
	});

	it.each(CASES)('$grantType: after every session expired, exactly one refresh_token grant, then the new token is reused', async ({ credential }) => {
		await fetch(`${emulator.url}/__emulator/faults`, { method: 'POST', body: JSON.stringify({ expireTokens: true }) });
		// The token n8n stores is now refused by the API.
		const probe = await fetch(`${emulator.url}/services/data/v64.0/limits`, { headers: { authorization: `Bearer ${tokens[credential].access_token}` } });
		expect(probe.status).toBe(401);

		const refreshed = await run(credential);
		expect(refreshed.token).toBe(1); // no code is left to exchange: this is the refresh_token grant
		const after = await run(credential);
		expect(after.token).toBe(0); // n8n persisted the refreshed token
	});
});
