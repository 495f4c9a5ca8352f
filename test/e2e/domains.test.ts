// Real-looking Salesforce domains in a real n8n, without leaving loopback: the emulator's TLS listener answers as
// https://<Host> (a certificate for *.my.salesforce.com, *.sandbox.my.salesforce.com, login and test hosts, signed
// by a CA made for this run), and n8n reaches it through a loopback CONNECT proxy (HTTPS_PROXY) that tunnels any
// host:443 there. Every way a user may paste the domain (full URL, bare host, trailing slash, a pasted Lightning
// path, a sandbox) runs a client-credentials workflow end to end; login.salesforce.com ends in the fix. Domains the
// node refuses reach no host from the workflow, n8n's "Test" button or its authorize URL either.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startEmulator, type Emulator } from '../emulator/index.ts';
import {
	CREDENTIAL_TYPE,
	N8nRest,
	NODE_TYPE,
	appCredential,
	executeWorkflow,
	importCredentials,
	importWorkflows,
	linearWorkflow,
	nodeOutput,
	preparedUserFolder,
	startN8n,
} from './support.ts';
import { OPENSSL_MISSING, hasOpenssl, makeCertificates, startConnectProxy, type ConnectProxy } from './tls.ts';

/** What a user types into "Salesforce Domain" → the host every request must go to. */
const DOMAINS = [
	{ id: 'e2eDomainFullUrl', input: 'https://acme.my.salesforce.com', host: 'acme.my.salesforce.com' },
	{ id: 'e2eDomainBareHst', input: 'globex.my.salesforce.com', host: 'globex.my.salesforce.com' },
	{ id: 'e2eDomainSlash01', input: 'https://initech.my.salesforce.com/', host: 'initech.my.salesforce.com' },
	{ id: 'e2eDomainPasted1', input: 'https://umbrella.my.salesforce.com/lightning/page/home', host: 'umbrella.my.salesforce.com' },
	{ id: 'e2eDomainLightng', input: 'https://hooli.lightning.force.com/lightning/o/Lead/list', host: 'hooli.my.salesforce.com' },
	{ id: 'e2eDomainSandbox', input: 'acme--dev.sandbox.my.salesforce.com', host: 'acme--dev.sandbox.my.salesforce.com' },
];
const LOGIN = { id: 'e2eDomainLogin01', input: 'https://login.salesforce.com' };
/** Domains the node refuses, with what their message says; the emulator's own plain URL needs "Local Test Server". */
const REFUSED = [
	{ id: 'e2eDomainAtEvil1', input: () => 'https://acme.my.salesforce.com@evil.example.com', says: 'is not a plain Salesforce domain' },
	{ id: 'e2eDomainEvilHst', input: () => 'https://evil.example.com', says: 'is not a Salesforce host' },
	{ id: 'e2eDomainLocalNo', input: () => emulator.url, says: 'Local Test Server' },
];
const REFUSED_TUNNEL = /^[a-z-]+\.refused-salesforce-domain\.invalid:443$/;

let emulator: Emulator;
let proxy: ConnectProxy;
let certs: ReturnType<typeof makeCertificates>;
let folder: Awaited<ReturnType<typeof preparedUserFolder>>;
let env: Record<string, string>;

const sf = (name: string, credential: string, parameters: Record<string, unknown>) => ({
	name,
	type: NODE_TYPE,
	parameters: { resource: 'lead', ...parameters },
	credentials: { salesforceAppOAuth2Api: { id: credential, name: `Salesforce ${credential}` } },
});
const createAndGet = (credential: string, lastName: string) =>
	linearWorkflow(credential, [
		sf('Create', credential, { operation: 'create', dataMode: 'json', recordJson: JSON.stringify({ LastName: lastName, Company: 'Domain Co' }) }),
		sf('Get', credential, { operation: 'get', recordId: { __rl: true, mode: 'id', value: "={{ $('Create').item.json.Id }}" } }),
	]);

const withOpenssl = hasOpenssl();
if (!withOpenssl) console.warn(`real-looking domain tests skipped: ${OPENSSL_MISSING}`);

describe.runIf(withOpenssl)('real-looking Salesforce domains through a proxy, in n8n', () => {
	beforeAll(async () => {
		certs = makeCertificates();
		emulator = await startEmulator({ port: 0, tls: { key: certs.key, cert: certs.cert } });
		proxy = await startConnectProxy(emulator.tlsPort!);
		env = {
			HTTPS_PROXY: proxy.url,
			HTTP_PROXY: proxy.url,
			NO_PROXY: '127.0.0.1,localhost',
			NODE_EXTRA_CA_CERTS: certs.caFile,
		};
		folder = await preparedUserFolder('n8n-e2e-domains-');
		const credentials = [...DOMAINS, LOGIN].map((d) => appCredential(d.id, d.input, { allowLocalTestServer: false }));
		credentials.push(...REFUSED.map((d) => appCredential(d.id, d.input(), { allowLocalTestServer: false })));
		await importCredentials(folder.userFolder, credentials);
		await importWorkflows(folder.userFolder, [...DOMAINS, LOGIN, ...REFUSED].map((d) => createAndGet(d.id, `Via ${d.id}`)));
	}, 600_000);

	afterAll(async () => {
		await proxy?.close();
		await emulator?.close();
		folder?.cleanup();
		certs?.cleanup();
	});

	it.each(DOMAINS)('client credentials with domain "$input" → token, create and get over https://$host', async ({ id, host }) => {
		emulator.requests.reset();
		const tunnelsBefore = proxy.tunnels.length;
		const result = await executeWorkflow(folder.userFolder, id, { env });
		const calls = emulator.requests.counts();
		const tunnels = proxy.tunnels.slice(tunnelsBefore);
		console.log(`${id}: ${result.ms} ms, ok=${result.ok}, tunnels ${JSON.stringify([...new Set(tunnels)])}, API calls ${calls.data} data + ${calls.token} token`);
		expect(result.error, result.stdout).toBeUndefined();

		const [created] = nodeOutput(result.run, 'Create');
		expect(emulator.store.get('Lead', created.Id as string)).toMatchObject({ LastName: `Via ${id}`, Company: 'Domain Co' });
		expect(nodeOutput(result.run, 'Get')[0]).toMatchObject({ Id: created.Id, LastName: `Via ${id}` });
		// n8n's token request (client-oauth2) and jsforce's data calls all went to the normalized host through the
		// proxy: the emulator's only listener that speaks TLS is behind it, and its plain port was never named.
		expect(calls.token).toBe(1);
		expect(calls.data).toBeGreaterThanOrEqual(2);
		expect(new Set(tunnels)).toEqual(new Set([`${host}:443`]));
		expect(proxy.refused).toEqual([]);
	});

	it('client credentials against https://login.salesforce.com ends in the My Domain fix, before any request', async () => {
		emulator.requests.reset();
		const tunnelsBefore = proxy.tunnels.length;
		const result = await executeWorkflow(folder.userFolder, LOGIN.id, { env });
		expect(result.ok).toBe(false);
		const message = JSON.stringify(result.error ?? '') + (result.stdout ?? '');
		expect(message).toContain('request not supported on this domain');
		expect(message).toContain('Use your My Domain URL');
		expect(message).not.toContain('emulator-consumer-secret');
		expect(emulator.requests.counts().total).toBe(0);
		expect(proxy.tunnels.slice(tunnelsBefore)).toEqual([]);
	});

	it.each(REFUSED)('a workflow on the refused domain of $id ends in the fix, before any request', async ({ id, says }) => {
		emulator.requests.reset();
		const tunnelsBefore = proxy.tunnels.length;
		const result = await executeWorkflow(folder.userFolder, id, { env });
		expect(result.ok).toBe(false);
		const message = JSON.stringify(result.error ?? '') + (result.stdout ?? '');
		expect(message).toContain(says);
		expect(message).not.toContain('emulator-consumer-secret');
		expect(emulator.requests.counts().total).toBe(0);
		expect(proxy.tunnels.slice(tunnelsBefore)).toEqual([]);
	});

	describe("n8n's credential endpoints on refused domains", () => {
		let n8n: Awaited<ReturnType<typeof startN8n>>;
		let session: N8nRest;
		let saved = 0;
		/** Saves the credential as the editor does and returns its id. */
		const save = async (data: Record<string, unknown>) => {
			const name = `refused domain ${++saved}`;
			const { id } = (await session.request('POST', '/rest/credentials', { name, type: CREDENTIAL_TYPE, data })) as { id: string };
			return { id, name };
		};

		beforeAll(async () => {
			n8n = await startN8n({ userFolder: folder.userFolder, env });
			session = new N8nRest(n8n.url);
			await session.ensureOwner();
		}, 600_000);
		afterAll(async () => {
			await n8n?.stop();
		});

		// Before issue 8 the credential's URLs used the host after "@" (or the emulator's plain URL): the Consumer Key
		// and Secret went there. Now they point at a .invalid name: through this proxy the tunnel is opened, but no
		// TLS session can be made for that name, so nothing is sent; without a proxy the name does not resolve.
		it.each(REFUSED)('the Test button on $id reaches no host', async ({ input }) => {
			emulator.requests.reset();
			const tunnelsBefore = proxy.tunnels.length;
			const data = { ...appCredential('x', input(), { allowLocalTestServer: false }).data };
			const credential = await save(data);
			const result = (await session.request('POST', '/rest/credentials/test', { credentials: { ...credential, type: CREDENTIAL_TYPE, data } })) as {
				status: string;
				message: string;
			};
			console.log(`credential test (${input()}): ${JSON.stringify(result)}`);
			expect(result.status).toBe('Error');
			expect(result.message).not.toContain('emulator-consumer-secret');
			expect(emulator.requests.counts().total).toBe(0);
			for (const tunnel of proxy.tunnels.slice(tunnelsBefore)) expect(tunnel).toMatch(REFUSED_TUNNEL);
		});

		it.each(REFUSED)('the authorize URL of $id points at no host', async ({ input }) => {
			const { id } = await save({ ...appCredential('x', input(), { allowLocalTestServer: false, grantType: 'authorizationCode' }).data });
			const authorizeUrl = (await session.request('GET', `/rest/oauth2-credential/auth?id=${id}`)) as string;
			expect(`${new URL(authorizeUrl).host}:443`).toMatch(REFUSED_TUNNEL);
			expect(new URL(authorizeUrl).pathname).toBe('/services/oauth2/authorize');
		});
	});
});
