// Every absolute URL the emulator answers with (instance_url, the identity id and urls, the identity resource) is on
// the origin the client used: its Host header, or the X-Forwarded-Host / X-Forwarded-Proto of a TLS terminator in
// front. Salesforce answers on the My Domain the client called ("My Domain URL Formats", Salesforce Help; "Identity
// URLs", Salesforce Help: the id URL is on the My Domain login URL); behind a terminator it is the public https origin.
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { request as httpRequest } from 'node:http';
import { createServer as createHttpsServer, globalAgent, request as httpsRequest } from 'node:https';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:https';
import { Connection } from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_APP_KEY, DEFAULT_APP_SECRET, makeCertificates, startEmulator } from '../emulator/index.ts';
import type { Certificates, Emulator } from '../emulator/index.ts';
import { API_VERSION } from './helpers.ts';

const TOKEN_FORM = new URLSearchParams({ grant_type: 'client_credentials', client_id: DEFAULT_APP_KEY, client_secret: DEFAULT_APP_SECRET }).toString();

let emulator: Emulator;
let certificates: Certificates;

beforeAll(async () => {
	certificates = makeCertificates(['acme.my.salesforce.com']);
	emulator = await startEmulator({ port: 0, tls: { key: certificates.key, cert: certificates.cert } });
});
afterAll(async () => {
	await emulator?.close();
	certificates?.cleanup();
});

interface Answer {
	status: number;
	headers: IncomingHttpHeaders;
	body: Record<string, unknown>;
}

/** One request with exactly these headers (Host included), over HTTP or, with `ca`, over TLS to 127.0.0.1. */
function exchange(port: number, method: string, path: string, headers: OutgoingHttpHeaders, body = '', ca?: string | Buffer): Promise<Answer> {
	return new Promise((resolve, reject) => {
		const options = { host: '127.0.0.1', port, method, path, headers: { 'content-length': Buffer.byteLength(body), ...headers } };
		const req = ca ? httpsRequest({ ...options, ca, servername: 'acme.my.salesforce.com', agent: false }) : httpRequest(options);
		req.on('response', (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () => {
				const text = Buffer.concat(chunks).toString('utf8');
				resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} });
			});
		});
		req.on('error', reject);
		req.end(body);
	});
}

const port = () => Number(new URL(emulator.url).port);
const token = (headers: OutgoingHttpHeaders) =>
	exchange(port(), 'POST', '/services/oauth2/token', { 'content-type': 'application/x-www-form-urlencoded', ...headers }, TOKEN_FORM);

describe('plain HTTP listener', () => {
	it('answers on the Host the client used, not on its listen address', async () => {
		const { status, body } = await token({ host: 'acme.my.salesforce.com:8080' });
		expect(status).toBe(200);
		expect(body.instance_url).toBe('http://acme.my.salesforce.com:8080');
		expect(body.id).toMatch(/^http:\/\/acme\.my\.salesforce\.com:8080\/id\/00D\w{15}\/005\w{15}$/);
	});

	it("drops the protocol's default port", async () => {
		expect((await token({ host: 'acme.my.salesforce.com:80' })).body.instance_url).toBe('http://acme.my.salesforce.com');
	});

	it('behind a TLS terminator: the https origin from X-Forwarded-Proto and X-Forwarded-Host', async () => {
		const forwarded = { host: `127.0.0.1:${port()}`, 'x-forwarded-proto': 'https', 'x-forwarded-host': 'acme.my.salesforce.com' };
		const { body } = await token(forwarded);
		expect(body.instance_url).toBe('https://acme.my.salesforce.com');
		expect(String(body.id)).toMatch(/^https:\/\/acme\.my\.salesforce\.com\/id\//);
		const bearer = { ...forwarded, authorization: `Bearer ${String(body.access_token)}` };
		// "Identity URLs" (Salesforce Help): the identity resource lists the user's URLs on the same domain.
		const identity = await exchange(port(), 'GET', new URL(String(body.id)).pathname, bearer);
		expect(identity.body.id).toBe(body.id);
		const urls = identity.body.urls as Record<string, string>;
		expect(urls.custom_domain).toBe('https://acme.my.salesforce.com');
		expect(Object.values(urls).every((u) => u.startsWith('https://acme.my.salesforce.com'))).toBe(true);
		const userinfo = await exchange(port(), 'GET', '/services/oauth2/userinfo', bearer);
		expect(userinfo.body.sub).toBe(body.id);
		// "Resources by Version" (REST API Developer Guide): identity is the one absolute URL in the list.
		const resources = await exchange(port(), 'GET', `/services/data/v${API_VERSION}`, bearer);
		expect(resources.body.identity).toBe(body.id);
		expect(resources.body.sobjects).toBe(`/services/data/v${API_VERSION}/sobjects`);
	});

	it('takes the first value of a forwarded list, and ignores a forwarded host that is not a host name', async () => {
		const listed = await token({ host: 'a.my.salesforce.com', 'x-forwarded-host': 'acme.my.salesforce.com, proxy.internal', 'x-forwarded-proto': 'https, http' });
		expect(listed.body.instance_url).toBe('https://acme.my.salesforce.com');
		const hostile = await token({ host: 'acme.my.salesforce.com', 'x-forwarded-host': 'evil.example@acme.my.salesforce.com/x' });
		expect(hostile.body.instance_url).toBe('http://acme.my.salesforce.com');
	});

	it('a client credentials token is refused on login.salesforce.com seen through a terminator', async () => {
		// "OAuth 2.0 Client Credentials Flow for Server-to-Server Integration" (Salesforce Help): My Domain only.
		const { status, body } = await token({ host: `127.0.0.1:${port()}`, 'x-forwarded-host': 'login.salesforce.com', 'x-forwarded-proto': 'https' });
		expect(status).toBe(400);
		expect(body.error).toBe('invalid_grant');
	});
});

describe('TLS listener', () => {
	it('answers as the https My Domain of its Host header', async () => {
		const tls = { host: `acme.my.salesforce.com:${emulator.tlsPort}`, 'content-type': 'application/x-www-form-urlencoded' };
		const { body } = await exchange(emulator.tlsPort!, 'POST', '/services/oauth2/token', tls, TOKEN_FORM, certificates.caPem);
		expect(body.instance_url).toBe(`https://acme.my.salesforce.com:${emulator.tlsPort}`);
		const standard = { host: 'acme.my.salesforce.com:443', 'content-type': 'application/x-www-form-urlencoded' };
		expect((await exchange(emulator.tlsPort!, 'POST', '/services/oauth2/token', standard, TOKEN_FORM, certificates.caPem)).body.instance_url)
			.toBe('https://acme.my.salesforce.com');
	});
});

describe('jsforce behind a TLS terminator', () => {
	let terminator: Server;
	let terminatorUrl: string;
	let forwarded = 0;
	const previousCa = globalAgent.options.ca;

	beforeAll(async () => {
		// A TLS terminator as one sits in front of Salesforce: it ends TLS and forwards over HTTP with X-Forwarded-*.
		terminator = createHttpsServer({ key: certificates.key, cert: certificates.cert }, (req, res) => {
			forwarded++;
			const upstream = httpRequest({
				host: '127.0.0.1', port: port(), method: req.method, path: req.url,
				headers: { ...req.headers, 'x-forwarded-host': req.headers.host, 'x-forwarded-proto': 'https' },
			}, (answer) => {
				res.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(res);
			});
			req.pipe(upstream);
		});
		terminator.listen(0, '127.0.0.1');
		await once(terminator, 'listening');
		terminatorUrl = `https://127.0.0.1:${(terminator.address() as AddressInfo).port}`;
		// What NODE_EXTRA_CA_CERTS does for a process: jsforce (node-fetch, global agent) trusts the terminator's CA.
		globalAgent.options.ca = certificates.caPem;
	});
	afterAll(async () => {
		globalAgent.options.ca = previousCa;
		terminator.closeAllConnections();
		await new Promise((resolve) => terminator.close(resolve));
	});

	it('is sent to the terminator for every call: token, identity, query', async () => {
		const conn = new Connection({
			version: API_VERSION,
			oauth2: { loginUrl: terminatorUrl, clientId: DEFAULT_APP_KEY, clientSecret: DEFAULT_APP_SECRET },
		});
		emulator.requests.reset();
		forwarded = 0;
		await conn.authorize({ grant_type: 'client_credentials' });
		expect(conn.instanceUrl).toBe(terminatorUrl);
		const identity = await conn.identity();
		expect((identity.urls as Record<string, string>).custom_domain).toBe(terminatorUrl);
		expect(identity.urls.rest).toBe(`${terminatorUrl}/services/data/v66.0/`);
		const result = await conn.query<{ Id: string }>('SELECT Id FROM Account');
		expect(result.records.length).toBeGreaterThan(0);
		// Nothing reached the emulator other than through the terminator (before, jsforce went to http://127.0.0.1:PORT).
		expect(emulator.requests.counts().total).toBe(forwarded);
		expect(forwarded).toBe(3);
	});
});

describe('npm run emulator --tls --domain', () => {
	it('prints a CA the client trusts and answers as https://<domain>:<port>', async () => {
		const { spawn } = await import('node:child_process');
		const node = execFileSync('node_modules/.bin/node', ['-p', 'process.execPath'], { encoding: 'utf8' }).trim();
		const cli = spawn(node, ['test/emulator/cli.ts', '--port', '0', '--tls', '--tls-port', '0', '--domain', 'acme.my.salesforce.com'], { stdio: ['ignore', 'pipe', 'pipe'] });
		try {
			let out = '';
			cli.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
			await expect.poll(() => out, { timeout: 15_000 }).toContain('-----END CERTIFICATE-----');
			const tlsPort = Number(/TLS listening on 127\.0\.0\.1:(\d+)/.exec(out)![1]);
			const ca = /-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/.exec(out)![0];
			expect(out).toContain(`https://acme.my.salesforce.com:${tlsPort}`);
			const headers = { host: `acme.my.salesforce.com:${tlsPort}`, 'content-type': 'application/x-www-form-urlencoded' };
			const { status, body } = await exchange(tlsPort, 'POST', '/services/oauth2/token', headers, TOKEN_FORM, ca);
			expect(status).toBe(200);
			expect(body.instance_url).toBe(`https://acme.my.salesforce.com:${tlsPort}`);
		} finally {
			cli.kill('SIGTERM');
			await once(cli, 'exit');
		}
	}, 30_000);

	it('refuses a --domain that is not a host name, naming the option', () => {
		let stderr = '';
		try {
			execFileSync('node_modules/.bin/node', ['test/emulator/cli.ts', '--domain', 'https://acme'], { stdio: 'pipe' });
		} catch (error) {
			stderr = String((error as { stderr: Buffer }).stderr);
		}
		expect(stderr).toMatch(/--domain: 'https:\/\/acme' is not a host name/);
	});
});
