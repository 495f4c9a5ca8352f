// The credential form as a new user meets it in a real n8n 2.x (issue 15): the order and labels of its fields, what
// the Test button says for each setup mistake, and a credential switched from client credentials to PKCE. Each
// pins n8n's behaviour where the credential cannot change it, next to the words the form shows for it.
//
// The editor builds the form from /types/credentials.json: the parent's (oAuth2Api) fields first, in the parent's
// order, a field of ours with a parent's name taking that field's place, our other fields after them
// (NodeHelpers.mergeNodeProperties, run by the editor's useCredentialForm as by CredentialsHelper). So the Salesforce
// Domain field cannot come before Client ID without renaming it, which would break every saved credential.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { NodeHelpers, type INodeProperties, type INodeParameters } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import { TEST_BUTTON_TEXTS, explainSetupProblem } from '../../nodes/Salesforce/helpers/setupErrors';
import { n8nPaths } from '../n8n/install.mjs';
import { CREDENTIAL_TYPE, appCredential, useN8n } from './support.ts';

const live = useN8n('n8n-e2e-credential-form-', {
	prepare: async ({ emulator }) => {
		const app = { callbackUrls: [], scopes: ['api'], pkceRequired: false, consumerSecret: 's3cret' };
		emulator.apps.add({ ...app, consumerKey: 'cc-disabled', clientCredentialsEnabled: false, runAsUser: null });
		emulator.apps.add({ ...app, consumerKey: 'no-run-as', clientCredentialsEnabled: true, runAsUser: null });
		emulator.apps.add({ ...app, consumerKey: 'just-created', clientCredentialsEnabled: true, runAsUser: 'x', availableAfter: new Date(Date.now() + 600_000) });
	},
});

interface CredentialType {
	name: string;
	extends?: string[];
	properties: INodeProperties[];
}

/** The credential's fields as the editor merges them (useCredentialForm: parents first, then the type's own). */
function editorProperties(types: CredentialType[], name: string): INodeProperties[] {
	const type = types.find((t) => t.name === name)!;
	if (!type.extends) return type.properties;
	const merged: INodeProperties[] = [];
	for (const parent of type.extends) NodeHelpers.mergeNodeProperties(merged, editorProperties(types, parent));
	NodeHelpers.mergeNodeProperties(merged, type.properties);
	return merged;
}

/** The fields the editor shows, top to bottom, for the given values (hidden fields and unmet displayOptions left out). */
function visibleFields(properties: INodeProperties[], values: INodeParameters): INodeProperties[] {
	const data: INodeParameters = { ...Object.fromEntries(properties.map((p) => [p.name, p.default])), ...values };
	return properties.filter((p) => p.type !== 'hidden' && (p.displayOptions === undefined || NodeHelpers.displayParameter(data, p, null, null)));
}

/** The form of our credential, from the credential types n8n serves the editor (read once). */
let credentialTypes: CredentialType[] | undefined;
async function form() {
	credentialTypes ??= (await live.rest.request('GET', '/types/credentials.json')) as CredentialType[];
	return editorProperties(credentialTypes, CREDENTIAL_TYPE);
}

/** The editor's JavaScript (n8n-editor-ui) of the n8n the tests run. */
function editorBundle(): string {
	const assets = join(dirname(n8nPaths().bin), '..', '..', 'n8n-editor-ui', 'dist', 'assets');
	return readdirSync(assets)
		.filter((file) => file.endsWith('.js'))
		.map((file) => readFileSync(join(assets, file), 'utf8'))
		.filter((text) => text.includes('_reusableDynamicText'))
		.join('\n');
}

describe('the credential form in the editor', () => {
	it.each([
		['clientCredentials', ['clientCredentialsNotice', 'domain', 'apiVersion', 'allowLocalTestServer', 'testButtonNotice']],
		['authorizationCode', ['authorizationCodeNotice', 'domain', 'apiVersion', 'allowLocalTestServer']],
		['pkce', ['authorizationCodeNotice', 'domain', 'apiVersion', 'allowLocalTestServer']],
	])('%s: n8n puts its OAuth2 fields first, ours after them', async (grantType, ours) => {
		const fields = visibleFields(await form(), { grantType }).map((p) => p.name);
		expect(fields).toEqual(['grantType', 'clientId', 'clientSecret', 'allowedHttpRequestDomains', ...ours]);
	});

	it('the notices point where the fields are: Client ID and Secret above, Salesforce Domain right below', async () => {
		const properties = await form();
		for (const grantType of ['clientCredentials', 'pkce']) {
			const fields = visibleFields(properties, { grantType });
			const notice = fields.findIndex((p) => p.type === 'notice');
			expect(fields[notice].displayName).toMatch(/Client ID and Client Secret above are its Consumer Key and Consumer Secret/);
			expect(fields.findIndex((p) => p.name === 'clientSecret')).toBeLessThan(notice);
			expect(fields[notice + 1].name).toBe('domain');
		}
		const clientCredentials = properties.find((p) => p.name === 'clientCredentialsNotice')!;
		expect(clientCredentials.displayName).toMatch(/Salesforce Domain below is your My Domain URL/);
		// Every setup step the Test button's errors come from.
		for (const step of [/Enable Client Credentials Flow/, /Run As user/, /login\.salesforce\.com does not support/, /10 minutes/]) {
			expect(clientCredentials.displayName).toMatch(step);
		}
	});

	it('labels the key fields "Client ID" and "Client Secret" whatever a credential says; the hints name Salesforce\'s words', async () => {
		// n8n 2.x's editor: credText().inputLabelDisplayName reads clientId and clientSecret from its own locale.
		const bundle = editorBundle();
		expect(bundle).toMatch(/\[`clientId`,`clientSecret`\]\.includes\(\w+\)\?\w+\.dynamicRender\(\{key:`_reusableDynamicText\.oauth2\.\$\{\w+\}`/);
		expect(bundle).toContain('oauth2:{clientId:`Client ID`,clientSecret:`Client Secret`}');
		const properties = await form();
		const field = (name: string) => properties.find((p) => p.name === name)!;
		expect([field('clientId').displayName, field('clientSecret').displayName]).toEqual(['Client ID', 'Client Secret']);
		expect(field('clientId').hint).toMatch(/^Your app's Consumer Key \(.*Consumer Key and Secret\)$/);
		expect(field('clientSecret').hint).toMatch(/Consumer Secret/);
	});
});

/** n8n's "Test" button: the editor saves the credential, then POSTs it to /rest/credentials/test. */
let saved = 0;
async function save(data: Record<string, unknown>) {
	const name = `credential form ${++saved}`;
	const { id } = (await live.rest.request('POST', '/rest/credentials', { name, type: CREDENTIAL_TYPE, data })) as { id: string };
	return { id, name };
}
async function testButton(credential: { id: string; name: string }, data: Record<string, unknown>) {
	return (await live.rest.request('POST', '/rest/credentials/test', { credentials: { ...credential, type: CREDENTIAL_TYPE, data } })) as {
		status: 'OK' | 'Error';
		message: string;
	};
}

describe('the Test button for each setup mistake', () => {
	// n8n (@n8n/client-oauth2) replaces Salesforce's error_description with RFC 6749's text for standard codes, and
	// an OAuth2 credential has no hook to read the answer: its `test` request runs only after n8n got a token, and a
	// node's `testedBy` is never asked for a credential extending oAuth2Api. So the form's notice translates.
	const mistakes: Array<[string, Record<string, unknown>, string, string]> = [
		['a wrong Consumer Secret', { clientSecret: 'wrong' }, 'invalid_client', 'Client authentication failed (e.g., unknown client'],
		['an unknown Consumer Key', { clientId: 'nobody' }, 'invalid_client_id', 'client identifier invalid'],
		['an app not propagated yet', { clientId: 'just-created', clientSecret: 's3cret' }, 'invalid_client_id', 'client identifier invalid'],
		['client credentials not enabled', { clientId: 'cc-disabled', clientSecret: 's3cret' }, 'client_credentials_disabled', 'The authorization grant type is not supported'],
		['no Run As user', { clientId: 'no-run-as', clientSecret: 's3cret' }, 'no_run_as_user', 'The provided authorization grant (e.g., authorization code'],
	];
	it.each(mistakes)('%s: n8n shows its own words, and the form says what they mean', async (label, patch, code, words) => {
		const data = { ...appCredential('x', live.emulator.url).data, ...patch };
		const result = await testButton(await save(data), data);
		console.log(`credential test (${label}): ${result.message}`);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/^Failed to acquire OAuth2 access token: /);
		expect(result.message).toContain(words);
		expect(result.message).not.toContain('s3cret');

		const entry = TEST_BUTTON_TEXTS.find(({ shows }) => result.message.includes(shows))!;
		const problem = entry.problems.find((p) => p.code === code)!;
		expect(problem).toBeDefined();
		const notice = (await form()).find((p) => p.name === 'testButtonNotice')!;
		expect(notice.displayName).toContain(`"${entry.shows}" → ${entry.problems.map((p) => p.message).join(', or ')}`);
	});

	it('Salesforce\'s own words behind each of them map to the same setup problem in the node', () => {
		expect(explainSetupProblem('invalid_client: invalid client credentials')?.code).toBe('invalid_client');
		expect(explainSetupProblem('invalid_client_id: client identifier invalid')?.code).toBe('invalid_client_id');
		expect(explainSetupProblem('unsupported_grant_type: grant type not supported')?.code).toBe('client_credentials_disabled');
		expect(explainSetupProblem('invalid_grant: no client credentials user enabled')?.code).toBe('no_run_as_user');
	});
});

describe('a client-credentials credential switched to PKCE', () => {
	const oauthTokenData = async (id: string) =>
		((await live.rest.request('GET', `/rest/credentials/${id}?includeData=true`)) as { data: Record<string, unknown> }).data.oauthTokenData;

	// The editor's "Account connected" banner: an OAuth credential with an authorization code or PKCE grant that
	// holds any oauthTokenData (useCredentialForm); n8n drops the token only when Client ID or Secret changes.
	it('keeps the client-credentials token, so the editor says "Account connected" until someone signs in', async () => {
		const data = appCredential('x', live.emulator.url).data;
		const credential = await save(data);
		expect((await testButton(credential, data)).status).toBe('OK');
		expect(await oauthTokenData(credential.id)).toBe(true);

		await live.rest.request('PATCH', `/rest/credentials/${credential.id}`, { ...credential, type: CREDENTIAL_TYPE, data: { ...data, grantType: 'pkce' } });
		expect(await oauthTokenData(credential.id)).toBe(true);
		const notice = (await form()).find((p) => p.name === 'authorizationCodeNotice')!;
		expect(notice.displayName).toContain('Switched here from Client Credentials? n8n keeps that token and says "Account connected": click "Switch account" and sign in.');

		// The banner's "Disconnect" clears it: then the editor asks to connect.
		await live.rest.request('DELETE', `/rest/credentials/${credential.id}/oauth-token`);
		expect(await oauthTokenData(credential.id)).toBeUndefined();
	});
});
