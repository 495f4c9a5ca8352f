// Issue 2's acceptance: a workflow executed through n8n-core authenticates with client credentials and with
// authorization code (tokens exchanged against the emulator) and reads a Lead; tokens are reused, re-granted or
// refreshed once on 401, and every setup mistake ends in a message that names the fix.
import type { IDataObject, IExecuteFunctions, INodeType } from 'n8n-workflow';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { CREDENTIAL_TYPE, SalesforceClient } from '../../nodes/Salesforce/transport';
import { startEmulator, type Emulator } from '../emulator/index.ts';
import { createHarness, type GrantType } from './harness.ts';

/** A minimal node that reads one Lead through the transport, so these tests exercise credential + transport only. */
const readLeadNode: INodeType = {
	description: {
		displayName: 'Read Lead',
		name: 'readLead',
		group: ['transform'],
		version: 1,
		description: 'Reads a lead',
		defaults: { name: 'Read Lead' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		properties: [{ displayName: 'Lead ID', name: 'leadId', type: 'string', default: '' }],
	},
	async execute(this: IExecuteFunctions) {
		const client = await SalesforceClient.for(this);
		const id = this.getNodeParameter('leadId', 0) as string;
		const lead = await client.request<IDataObject>('GET', `/sobjects/Lead/${id}?fields=Id,LastName,Company`);
		return [[{ json: lead, pairedItem: { item: 0 } }]];
	},
};

let emulator: Emulator;
let leadId: string;

beforeAll(async () => {
	emulator = await startEmulator({ port: 0 });
	leadId = String(emulator.store.insert('Lead', { LastName: 'Lovelace', Company: 'Analytical Engines' }).Id);
});
afterAll(async () => await emulator.close());
beforeEach(() => {
	emulator.faults.reset();
	emulator.requests.reset();
});

const read = (harness: Awaited<ReturnType<typeof createHarness>>) =>
	harness.runNode({ nodeType: readLeadNode, parameters: { leadId } });

describe.each<GrantType>(['clientCredentials', 'authorizationCode', 'pkce'])('%s', (grantType) => {
	it('reads a lead, reuses the token across executions and renews it once on 401', async () => {
		const harness = await createHarness(emulator, { grantType });
		emulator.requests.reset();

		const first = await read(harness);
		expect(first.error).toBeUndefined();
		expect(first.items[0].json).toMatchObject({ Id: leadId, LastName: 'Lovelace' });
		expect(emulator.requests.counts().token).toBe(grantType === 'clientCredentials' ? 1 : 0);

		await read(harness);
		await read(harness);
		const tokensBeforeExpiry = emulator.requests.counts().token;
		expect(tokensBeforeExpiry).toBe(grantType === 'clientCredentials' ? 1 : 0);

		const refreshToken = harness.credentials.oauthTokenData && (harness.credentials.oauthTokenData as { refresh_token?: string }).refresh_token;
		emulator.faults.expireTokens();
		const renewed = await read(harness);
		expect(renewed.error).toBeUndefined();
		expect(renewed.items[0].json).toMatchObject({ Id: leadId });
		expect(emulator.requests.counts().token).toBe(tokensBeforeExpiry + 1);
		const stored = harness.credentials.oauthTokenData as { refresh_token?: string; instance_url?: string };
		expect(stored.instance_url).toBe(emulator.url);
		expect(stored.refresh_token).toBe(refreshToken);
	});
});

const RECORD = 'GET /services/data/v{version}/sobjects/{sobject}/{id}';
const TOKEN = 'POST /services/oauth2/token';

/** Every call of a run by route, and the answers that were not 200. */
async function callsOf(run: () => Promise<unknown>) {
	emulator.requests.reset();
	await run();
	const { byRoute, byAnswer } = emulator.requests.counts();
	return { byRoute, notOk: Object.fromEntries(Object.entries(byAnswer).filter(([answer]) => !answer.startsWith('200 '))) };
}

describe.each<GrantType>(['clientCredentials', 'authorizationCode', 'pkce'])('token expiry with %s', (grantType) => {
	it('costs one token request and one replay: no probe, no second call', async () => {
		const harness = await createHarness(emulator, { grantType });
		await read(harness);
		emulator.faults.expireTokens();
		const expiry = await callsOf(async () => expect((await read(harness)).items[0].json).toMatchObject({ Id: leadId }));
		expect(expiry).toEqual({ byRoute: { [RECORD]: 2, [TOKEN]: 1 }, notOk: { [`401 ${RECORD}`]: 1 } });
		expect(await callsOf(() => read(harness))).toEqual({ byRoute: { [RECORD]: 1 }, notOk: {} });
	});
});

it('a token another execution renewed meanwhile serves as it is, without a token request', async () => {
	const harness = await createHarness(emulator);
	await read(harness);
	emulator.faults.expireTokens();
	// Another execution renewed the token after this one read the credential: n8n stores the new one.
	const renewedElsewhere: INodeType = {
		description: { ...readLeadNode.description, name: 'renewedElsewhere', displayName: 'Renewed Elsewhere' },
		async execute(this: IExecuteFunctions) {
			const client = await SalesforceClient.for(this);
			harness.credentials.oauthTokenData = { ...(harness.credentials.oauthTokenData as object), access_token: (await clientCredentialsToken()).access_token };
			emulator.requests.reset();
			const lead = await client.request<IDataObject>('GET', `/sobjects/Lead/${leadId}?fields=Id`);
			return [[{ json: lead, pairedItem: { item: 0 } }]];
		},
	};
	const result = await harness.runNode({ nodeType: renewedElsewhere, parameters: { leadId } });
	expect(result.items[0].json).toMatchObject({ Id: leadId });
	const { byRoute, byAnswer } = emulator.requests.counts();
	expect(byRoute).toEqual({ [RECORD]: 2 });
	expect(byAnswer[`401 ${RECORD}`]).toBe(1);
});

it('on an n8n without helpers.refreshOAuth2Token (before 1.119): renewed through one probe that n8n sends again', async () => {
	const withoutRefreshHelper: INodeType = {
		description: { ...readLeadNode.description, name: 'withoutRefreshHelper', displayName: 'Without Refresh Helper' },
		async execute(this: IExecuteFunctions) {
			const helpers = { ...this.helpers, refreshOAuth2Token: undefined };
			const ctx = Object.create(this, { helpers: { value: helpers } }) as IExecuteFunctions;
			const client = await SalesforceClient.for(ctx);
			const lead = await client.request<IDataObject>('GET', `/sobjects/Lead/${leadId}?fields=Id`);
			return [[{ json: lead, pairedItem: { item: 0 } }]];
		},
	};
	const harness = await createHarness(emulator);
	await harness.runNode({ nodeType: withoutRefreshHelper, parameters: { leadId } });
	emulator.faults.expireTokens();
	const LIMITS = 'GET /services/data/v{version}/limits';
	const expiry = await callsOf(async () => expect((await harness.runNode({ nodeType: withoutRefreshHelper, parameters: { leadId } })).items[0].json).toMatchObject({ Id: leadId }));
	expect(expiry).toEqual({ byRoute: { [RECORD]: 2, [LIMITS]: 2, [TOKEN]: 1 }, notOk: { [`401 ${RECORD}`]: 1, [`401 ${LIMITS}`]: 1 } });
});

async function clientCredentialsToken() {
	const response = await fetch(`${emulator.url}/services/oauth2/token`, {
		method: 'POST',
		body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'emulator-consumer-key', client_secret: 'emulator-consumer-secret' }),
	});
	return (await response.json()) as { access_token: string };
}

it('falls back to the domain when the stored token has no instance_url', async () => {
	const token = await fetch(`${emulator.url}/services/oauth2/token`, {
		method: 'POST',
		body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'emulator-consumer-key', client_secret: 'emulator-consumer-secret' }),
	}).then(async (response) => (await response.json()) as { access_token: string });
	const harness = await createHarness(emulator, { credentials: { oauthTokenData: { access_token: token.access_token } } });
	const result = await read(harness);
	expect(result.error).toBeUndefined();
	expect(result.items[0].json).toMatchObject({ Id: leadId });
});

it('sends the access token to no instance_url that is not a Salesforce host', async () => {
	const token = await fetch(`${emulator.url}/services/oauth2/token`, {
		method: 'POST',
		body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'emulator-consumer-key', client_secret: 'emulator-consumer-secret' }),
	}).then(async (response) => (await response.json()) as { access_token: string });
	for (const instanceUrl of ['https://evil.example.com', 'https://acme.my.salesforce.com@evil.example.com', 'http://acme.my.salesforce.com']) {
		const harness = await createHarness(emulator, { credentials: { oauthTokenData: { access_token: token.access_token, instance_url: instanceUrl } } });
		emulator.requests.reset();
		const result = await read(harness);
		expect(result.error?.message).toMatch(/instance URL that is not a Salesforce host/);
		expect(JSON.stringify(result)).not.toContain(token.access_token);
		expect(emulator.requests.counts().total).toBe(0);
	}
});

describe('setup mistakes name the fix', () => {
	const secret = 'a-very-secret-consumer-secret';

	beforeAll(() => {
		const app = { clientCredentialsEnabled: true, runAsUser: undefined as string | null | undefined, pkceRequired: false, callbackUrls: [], scopes: ['api'] };
		emulator.apps.add({ ...app, consumerKey: 'no-run-as', consumerSecret: secret, runAsUser: null });
		emulator.apps.add({ ...app, consumerKey: 'cc-disabled', consumerSecret: secret, clientCredentialsEnabled: false });
		emulator.apps.add({ ...app, consumerKey: 'just-created', consumerSecret: secret, availableAfter: new Date(Date.now() + 10 * 60_000) });
	});

	it.each([
		['wrong secret', { clientSecret: secret }, /Consumer Secret/, /Copy the Consumer Secret again/],
		['unknown key', { clientId: 'typo-key', clientSecret: secret }, /Consumer Key/, /up to 10 minutes/],
		['app not propagated yet', { clientId: 'just-created', clientSecret: secret }, /Consumer Key/, /wait and try again/],
		['no Run As user', { clientId: 'no-run-as', clientSecret: secret }, /Run As user/, /choose a Run As user/],
		['flow not enabled', { clientId: 'cc-disabled', clientSecret: secret }, /not enabled/, /Enable Client Credentials Flow/],
		['login.salesforce.com', { domain: 'https://login.salesforce.com' }, /request not supported on this domain/, /Salesforce Domain/],
		['plain http to Salesforce', { domain: 'http://acme.my.salesforce.com' }, /https:\/\//, /Salesforce Domain/],
	])('%s', async (_name, credentials, message, description) => {
		const harness = await createHarness(emulator, { credentials });
		const { error } = await read(harness);
		expect(error?.message).toMatch(message);
		expect(`${(error as { description?: string }).description}`).toMatch(description);
		expect(JSON.stringify(error)).not.toContain(secret);
	});
});

describe("the credential's API Version", () => {
	it.each([
		['a retired version (Salesforce answers 410 GONE)', '30.0', /^The credential's API Version 30\.0 is too old: the node needs 46\.0 or later/],
		['a version without sObject Collections upsert', '45.0', /^The credential's API Version 45\.0 is too old: the node needs 46\.0 or later/],
		['no version number', 'latest', /^The credential's API Version "latest" is not a Salesforce API version \(like 64\.0\)$/],
		['no minor version', '64', /^The credential's API Version "64" is not a Salesforce API version/],
	])('%s is refused before anything is sent, naming the field and the fix', async (_name, apiVersion, message) => {
		const harness = await createHarness(emulator, { credentials: { apiVersion } });
		emulator.requests.reset();
		const { error } = await read(harness);
		expect(error?.message).toMatch(message);
		expect((error as { description?: string }).description).toBe(
			'Field: API Version (in the credential). Use 64.0, or any version from 46.0 your org offers.',
		);
		expect(emulator.requests.counts().total).toBe(0);
	});

	it.each(['46.0', 'v64.0', ' 66.0 '])('%s is used', async (apiVersion) => {
		const harness = await createHarness(emulator, { credentials: { apiVersion } });
		const result = await read(harness);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ Id: leadId });
	});
});

it('stops when Salesforce keeps rejecting a session that n8n just checked (no endless refresh loop)', async () => {
	const harness = await createHarness(emulator);
	await read(harness);
	emulator.faults.inject({ path: '/sobjects/Lead/', status: 401, errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid', count: 50 });
	emulator.requests.reset();
	const { error } = await read(harness);
	expect(error?.message).toMatch(/keeps rejecting/);
	expect(emulator.requests.counts().data).toBeLessThan(10);
});

describe('two unrelated 401s in one execution, with accepted calls between them', () => {
	/** Runs between the reads of readLeadFourTimes, e.g. to expire every token. */
	let beforeRead: (read: number) => void = () => undefined;
	const readLeadFourTimes: INodeType = {
		description: { ...readLeadNode.description, name: 'readLeadFourTimes', displayName: 'Read Lead Four Times' },
		async execute(this: IExecuteFunctions) {
			const client = await SalesforceClient.for(this);
			const id = this.getNodeParameter('leadId', 0) as string;
			const reads: IDataObject[] = [];
			for (let read = 0; read < 4; read++) {
				beforeRead(read);
				reads.push(await client.request<IDataObject>('GET', `/sobjects/Lead/${id}?fields=Id,LastName`));
			}
			return [reads.map((json) => ({ json, pairedItem: { item: 0 } }))];
		},
	};
	const readFourTimes = (harness: Awaited<ReturnType<typeof createHarness>>) =>
		harness.runNode({ nodeType: readLeadFourTimes, parameters: { leadId } });

	it('401s that n8n answers with the token it has (its probe passes): each renewal is accepted, no breaker', async () => {
		const harness = await createHarness(emulator);
		await read(harness);
		// The 2nd and 4th matching calls are refused; the replays (3rd, 5th) and everything else are accepted.
		emulator.faults.inject({ path: '/sobjects/Lead/', status: 401, errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid', nth: 2 });
		emulator.faults.inject({ path: '/sobjects/Lead/', status: 401, errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid', nth: 4 });
		const result = await readFourTimes(harness);
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.Id)).toEqual([leadId, leadId, leadId, leadId]);
	});

	it('tokens expired twice: re-granted twice, no breaker', async () => {
		const harness = await createHarness(emulator);
		await read(harness);
		emulator.requests.reset();
		beforeRead = (read) => {
			if (read === 1 || read === 3) emulator.faults.expireTokens();
		};
		try {
			const result = await readFourTimes(harness);
			expect(result.error).toBeUndefined();
			expect(result.items).toHaveLength(4);
			expect(emulator.requests.counts().token).toBe(2);
		} finally {
			beforeRead = () => undefined;
		}
	});
});
