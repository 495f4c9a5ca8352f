// OAuth through jsforce and plain HTTP. Follows Salesforce Help "OAuth 2.0 Client Credentials Flow for
// Server-to-Server Integration" (token without refresh_token, My Domain only, Run As user), "OAuth 2.0 Web Server Flow
// for Web App Integration" and "Proof Key for Code Exchange (PKCE) Extension" (code, verifier, refresh; error bodies with
// error and error_description), "Revoke OAuth Tokens", and the REST API Developer Guide
// "Status Codes and Error Responses" / "API Request Limits and Allocations" (REQUEST_LIMIT_EXCEEDED, Sforce-Limit-Info).
import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { Connection, OAuth2 } from 'jsforce';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_APP_KEY, DEFAULT_APP_SECRET, startEmulator } from '../emulator/index.ts';
import { API_VERSION, connect, tokenRequest } from './helpers.ts';
import type { Emulator } from '../emulator/index.ts';

let emulator: Emulator;
const CALLBACK = 'http://localhost:5678/rest/oauth2-credential/callback';

beforeAll(async () => {
	emulator = await startEmulator({ port: 0, clock: '2026-11-22T10:00:00Z' });
	emulator.clock.freeze();
	emulator.clock.set('2026-11-22T10:00:00Z');
});
afterAll(() => emulator.close());
beforeEach(() => emulator.faults.reset());

describe('client credentials', () => {
	it('returns a token without expires_in or refresh_token', async () => {
		const { status, body } = await tokenRequest(emulator, { grant_type: 'client_credentials', client_id: DEFAULT_APP_KEY, client_secret: DEFAULT_APP_SECRET });
		expect(status).toBe(200);
		expect(body).toMatchObject({ instance_url: emulator.url, token_type: 'Bearer', scope: 'api', issued_at: String(Date.parse('2026-11-22T10:00:00Z')) });
		expect(body.id).toMatch(new RegExp(`^${emulator.url}/id/00D\\w{15}/005\\w{15}$`));
		expect(body).not.toHaveProperty('expires_in');
		expect(body).not.toHaveProperty('refresh_token');
	});

	it('accepts the client in a Basic authorization header', async () => {
		const basic = Buffer.from(`${DEFAULT_APP_KEY}:${DEFAULT_APP_SECRET}`).toString('base64');
		const { status } = await tokenRequest(emulator, { grant_type: 'client_credentials' }, { authorization: `Basic ${basic}` });
		expect(status).toBe(200);
	});

	it.each([
		['an unknown key', { client_id: 'nope', client_secret: 'x' }, {}, 'invalid_client_id', 'client identifier invalid'],
		['a wrong secret', { client_id: DEFAULT_APP_KEY, client_secret: 'wrong' }, {}, 'invalid_client', 'invalid client credentials'],
	])('refuses %s', async (_, form, headers, error, description) => {
		const { status, body } = await tokenRequest(emulator, { grant_type: 'client_credentials', ...form }, headers);
		expect(status).toBe(400);
		expect(body).toEqual({ error, error_description: description });
	});

	it('refuses client credentials on a login host (My Domain rule)', async () => {
		const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: DEFAULT_APP_KEY, client_secret: DEFAULT_APP_SECRET }).toString();
		const answer = await new Promise<{ status: number; body: unknown }>((resolve, reject) => {
			const url = new URL(`${emulator.url}/services/oauth2/token`);
			const req = request(url, { method: 'POST', headers: { host: 'login.salesforce.com', 'content-type': 'application/x-www-form-urlencoded' } }, (res) => {
				let text = '';
				res.on('data', (chunk) => (text += chunk));
				res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
			});
			req.on('error', reject);
			req.end(body);
		});
		expect(answer).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'request not supported on this domain' } });
	});

	it('refuses apps without a Run-As user, without the flow, and before propagation', async () => {
		emulator.apps.add({ consumerKey: 'no-run-as', consumerSecret: 's', clientCredentialsEnabled: true, runAsUser: null, pkceRequired: false, callbackUrls: [], scopes: ['api'] });
		expect((await tokenRequest(emulator, { grant_type: 'client_credentials', client_id: 'no-run-as', client_secret: 's' })).body)
			.toEqual({ error: 'invalid_grant', error_description: 'no client credentials user enabled' });
		emulator.apps.update('no-run-as', { clientCredentialsEnabled: false });
		expect((await tokenRequest(emulator, { grant_type: 'client_credentials', client_id: 'no-run-as', client_secret: 's' })).body.error).toBe('unsupported_grant_type');
		emulator.apps.add({
			consumerKey: 'fresh', consumerSecret: 's', clientCredentialsEnabled: true, runAsUser: emulator.store.all('User')[0].Id as string,
			pkceRequired: false, callbackUrls: [], scopes: ['api'], availableAfter: new Date(emulator.clock.now().getTime() + 10 * 60_000),
		});
		expect((await tokenRequest(emulator, { grant_type: 'client_credentials', client_id: 'fresh', client_secret: 's' })).body.error).toBe('invalid_client_id');
		emulator.clock.advance(10 * 60_000);
		expect((await tokenRequest(emulator, { grant_type: 'client_credentials', client_id: 'fresh', client_secret: 's' })).status).toBe(200);
	});
});

describe('authorization code with PKCE', () => {
	it('redirects with a code, exchanges it with the verifier, then refreshes', async () => {
		const verifier = randomBytes(32).toString('base64url');
		const challenge = createHash('sha256').update(verifier).digest('base64url');
		const oauth2 = new OAuth2({ loginUrl: emulator.url, clientId: DEFAULT_APP_KEY, clientSecret: DEFAULT_APP_SECRET, redirectUri: CALLBACK });
		const authorizeUrl = oauth2.getAuthorizationUrl({ scope: 'api refresh_token', state: 'xyz', code_challenge: challenge } as never);
		const redirect = await fetch(authorizeUrl, { redirect: 'manual' });
		expect(redirect.status).toBe(302);
		const location = new URL(redirect.headers.get('location')!);
		expect(`${location.origin}${location.pathname}`).toBe(CALLBACK);
		expect(location.searchParams.get('state')).toBe('xyz');
		const code = location.searchParams.get('code')!;

		const wrong = await tokenRequest(emulator, { grant_type: 'authorization_code', code, client_id: DEFAULT_APP_KEY, redirect_uri: CALLBACK, code_verifier: 'wrong' });
		expect(wrong.body).toEqual({ error: 'invalid_grant', error_description: 'invalid code verifier' });

		const again = await fetch(authorizeUrl, { redirect: 'manual' });
		const code2 = new URL(again.headers.get('location')!).searchParams.get('code')!;
		const token = await oauth2.requestToken(code2, { code_verifier: verifier } as never);
		expect(token.refresh_token).toBeTruthy();
		const refreshed = await oauth2.refreshToken(token.refresh_token!);
		expect(refreshed.access_token).not.toBe(token.access_token);
		expect(refreshed).not.toHaveProperty('refresh_token');
		const conn = new Connection({ instanceUrl: refreshed.instance_url, accessToken: refreshed.access_token, version: API_VERSION });
		const identity = await conn.identity();
		expect(identity.username).toBe('admin@emulator.example');
	});

	it('refuses an unregistered callback and a missing challenge on a PKCE-required app', async () => {
		const bad = await fetch(`${emulator.url}/services/oauth2/authorize?response_type=code&client_id=${DEFAULT_APP_KEY}&redirect_uri=${encodeURIComponent('http://evil.example/cb')}`, { redirect: 'manual' });
		expect(bad.status).toBe(400);
		expect(await bad.text()).toContain('redirect_uri_mismatch');
		emulator.apps.add({ consumerKey: 'pkce-app', consumerSecret: 's', clientCredentialsEnabled: false, pkceRequired: true, callbackUrls: [CALLBACK], scopes: ['api'] });
		const missing = await fetch(`${emulator.url}/services/oauth2/authorize?response_type=code&client_id=pkce-app&redirect_uri=${encodeURIComponent(CALLBACK)}`, { redirect: 'manual' });
		expect(missing.status).toBe(302);
		expect(new URL(missing.headers.get('location')!).searchParams.get('error')).toBe('invalid_request');
	});

	it('revokes a token', async () => {
		const { conn } = await connect(emulator);
		const response = await fetch(`${emulator.url}/services/oauth2/revoke`, { method: 'POST', body: new URLSearchParams({ token: conn.accessToken! }) });
		expect(response.status).toBe(200);
		const raw = await fetch(`${emulator.url}/services/data/v64.0/limits`, { headers: { authorization: `Bearer ${conn.accessToken}` } });
		expect(raw.status).toBe(401);
	});
});

describe('faults', () => {
	it('fails the next matching call with an injected error, then recovers', async () => {
		const { conn } = await connect(emulator);
		emulator.faults.inject({ method: 'POST', path: /\/composite\/sobjects$/, status: 400, errorCode: 'UNABLE_TO_LOCK_ROW', count: 1 });
		await expect(conn.sobject('Lead').create([{ LastName: 'L', Company: 'C' }])).rejects.toMatchObject({
			errorCode: 'UNABLE_TO_LOCK_ROW', message: 'unable to obtain exclusive access to this record or 1 records',
		});
		const [result] = await conn.sobject('Lead').create([{ LastName: 'L', Company: 'C' }]);
		expect(result.success).toBe(true);
	});

	it('answers REQUEST_LIMIT_EXCEEDED once the quota is used', async () => {
		const { conn } = await connect(emulator);
		emulator.faults.setApiQuota(2);
		await conn.query('SELECT Id FROM User LIMIT 1');
		await conn.query('SELECT Id FROM User LIMIT 1');
		await expect(conn.query('SELECT Id FROM User LIMIT 1')).rejects.toMatchObject({ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.' });
	});

	it('expires tokens after their lifetime on the emulator clock', async () => {
		const { conn, refreshes } = await connect(emulator);
		emulator.faults.setTokenLifetime(60_000);
		await conn.query('SELECT Id FROM User LIMIT 1');
		emulator.clock.advance(61_000);
		await conn.query('SELECT Id FROM User LIMIT 1');
		expect(refreshes()).toBe(1);
	});

	it('adds latency and exposes the controls over HTTP', async () => {
		await fetch(`${emulator.url}/__emulator/faults`, { method: 'POST', body: JSON.stringify({ latencyMs: 150 }) });
		await fetch(`${emulator.url}/__emulator/requests`, { method: 'DELETE' });
		const started = Date.now();
		await fetch(`${emulator.url}/services/data/`);
		expect(Date.now() - started).toBeGreaterThanOrEqual(140);
		const inserted = await (await fetch(`${emulator.url}/__emulator/records/Lead`, { method: 'POST', body: JSON.stringify({ LastName: 'Http', Company: 'C', at: '2026-01-01T00:00:00Z' }) })).json();
		expect(inserted).toMatchObject({ LastName: 'Http', SystemModstamp: '2026-01-01T00:00:00.000+0000' });
		const clock = await (await fetch(`${emulator.url}/__emulator/clock`, { method: 'POST', body: JSON.stringify({ advance: 1000 }) })).json();
		expect(clock.now).toBe(new Date(emulator.clock.now()).toISOString());
		const counts = await (await fetch(`${emulator.url}/__emulator/requests`)).json();
		expect(counts).toEqual({ total: 1, token: 0, data: 1, byRoute: { 'GET /services/data': 1 }, byAnswer: { '200 GET /services/data': 1 }, peakConcurrentData: 1 });
	});
});
