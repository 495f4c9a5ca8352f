// The package as a self-hoster gets it: packed, installed into ~/.n8n/nodes, loaded by a real n8n at start.
// Then the credential setups a user goes through, tested with n8n's own "Test credential" endpoint.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startEmulator, type Emulator } from '../emulator/index.ts';
import { CREDENTIAL_TYPE, N8nRest, NODE_TYPE, TRIGGER_TYPE, packageHasNodes, preparedUserFolder, startN8n } from './support.ts';

let emulator: Emulator;
let folder: Awaited<ReturnType<typeof preparedUserFolder>>;
let n8n: Awaited<ReturnType<typeof startN8n>>;
let session: N8nRest;

beforeAll(async () => {
	emulator = await startEmulator({ port: 0 });
	folder = await preparedUserFolder('n8n-e2e-package-');
	n8n = await startN8n({ userFolder: folder.userFolder });
	console.log(`n8n started in ${n8n.startMs} ms`);
	session = new N8nRest(n8n.url);
	await session.ensureOwner();
}, 600_000);

afterAll(async () => {
	await n8n?.stop();
	await emulator?.close();
	folder?.cleanup();
});

describe.runIf(packageHasNodes)('the installed package', () => {
	it('registers the node, the trigger and the credential', async () => {
		expect(n8n.logs()).not.toMatch(/Failed to load package|n8n-nodes-salesforce.*error/i);
		const { nodes, credentials } = await session.types();
		const node = nodes.find((n: { name: string }) => n.name === NODE_TYPE);
		const trigger = nodes.find((n: { name: string }) => n.name === TRIGGER_TYPE);
		const credential = credentials.find((c: { name: string }) => c.name === CREDENTIAL_TYPE);
		expect(node?.displayName).toBe('Salesforce CRM');
		expect(trigger?.polling).toBe(true);
		expect(credential?.extends).toEqual(['oAuth2Api']);
		expect(credential.properties.map((p: { name: string }) => p.name)).toEqual(
			expect.arrayContaining(['grantType', 'domain', 'clientId', 'clientSecret']),
		);
		expect(nodes.some((n: { name: string }) => n.name === 'n8n-nodes-base.salesforce')).toBe(true);
	});
});

/** n8n's "Test" button: the editor saves the credential, then POSTs it to /rest/credentials/test. */
let saved = 0;
async function testCredential(data: Record<string, unknown>) {
	const name = `e2e credential ${++saved}`;
	const { id } = (await session.request('POST', '/rest/credentials', { name, type: CREDENTIAL_TYPE, data })) as { id: string };
	return (await session.request('POST', '/rest/credentials/test', {
		credentials: { id, name, type: CREDENTIAL_TYPE, data },
	})) as { status: 'OK' | 'Error'; message: string };
}

describe.runIf(packageHasNodes)('credential setups (n8n "Test credential")', () => {
	const base = () => ({
		grantType: 'clientCredentials',
		domain: emulator.url,
		allowLocalTestServer: true,
		clientId: 'emulator-consumer-key',
		clientSecret: 'emulator-consumer-secret',
	});

	beforeAll(() => {
		const app = { callbackUrls: [], scopes: ['api'], pkceRequired: false, consumerSecret: 's3cret' };
		emulator.apps.add({ ...app, consumerKey: 'cc-disabled', clientCredentialsEnabled: false, runAsUser: null });
		emulator.apps.add({ ...app, consumerKey: 'no-run-as', clientCredentialsEnabled: true, runAsUser: null });
		emulator.apps.add({ ...app, consumerKey: 'just-created', clientCredentialsEnabled: true, runAsUser: 'x', availableAfter: new Date(Date.now() + 600_000) });
	});

	// Every domain here resolves to the emulator; login/test/sandbox hosts would leave the machine (unit-tested).
	const domains: Array<[string, (url: string) => string]> = [
		['the full My Domain URL', (url) => url],
		['a trailing slash', (url) => `${url}/`],
		['a pasted page path', (url) => `${url}/lightning/setup/SetupOneHome/home`],
		['spaces around the URL', (url) => `  ${url}  `],
	];
	it.each(domains)('succeeds with %s', async (label, domain) => {
		const result = await testCredential({ ...base(), domain: domain(emulator.url) });
		console.log(`credential test (${label}): ${JSON.stringify(result)}`);
		expect(result.status).toBe('OK');
	});

	// What the user reads after "Test": n8n's OAuth client (@n8n/client-oauth2) replaces Salesforce's
	// error_description with the RFC 6749 text for standard codes (invalid_client, invalid_grant,
	// unsupported_grant_type); only non-standard codes such as invalid_client_id keep Salesforce's words. The fix
	// therefore has to be in the form's notice, checked below.
	const failures: Array<[string, Record<string, unknown>, RegExp]> = [
		['a wrong Consumer Secret', { clientSecret: 'wrong' }, /Client authentication failed/],
		['an unknown Consumer Key', { clientId: 'nobody' }, /client identifier invalid/],
		['an app not propagated yet', { clientId: 'just-created', clientSecret: 's3cret' }, /client identifier invalid/],
		['client credentials not enabled', { clientId: 'cc-disabled', clientSecret: 's3cret' }, /grant type is not supported/],
		['no Run As user', { clientId: 'no-run-as', clientSecret: 's3cret' }, /authorization grant .* is invalid/],
	];
	it.each(failures)('fails with %s', async (label, patch, expected) => {
		const result = await testCredential({ ...base(), ...patch });
		console.log(`credential test (${label}): ${result.message}`);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/^Failed to acquire OAuth2 access token: /);
		expect(result.message).toMatch(expected);
	});

	it('the client-credentials form names every setup step those errors come from', async () => {
		const { credentials } = await session.types();
		const notice = credentials
			.find((c: { name: string }) => c.name === CREDENTIAL_TYPE)
			.properties.find((p: { type: string; displayOptions?: { show?: { grantType?: string[] } } }) =>
				p.type === 'notice' && p.displayOptions?.show?.grantType?.includes('clientCredentials'));
		expect(notice.displayName).toMatch(/Enable Client Credentials Flow/);
		expect(notice.displayName).toMatch(/Run As/);
		expect(notice.displayName).toMatch(/My Domain/);
		expect(notice.displayName).toMatch(/10 minutes/);
	});
});
