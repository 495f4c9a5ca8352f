// Network failures a client meets between it and Salesforce, as a raw HTTP client and jsforce see them: a connection
// dropped before or after Salesforce processed the request, a request never answered, and an HTML page from a load
// balancer or Salesforce's maintenance window instead of JSON. Salesforce documents what a client must then do
// ("REST API Developer Guide", Status Codes and Error Responses: 503 "the server is unavailable to handle the
// request"; "Salesforce Developer Limits and Allocations Quick Reference"): the emulator only reproduces the wire.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../emulator/index.ts';
import { API_VERSION, clientCredentialsToken, onConnectedEmulator, rawRequest } from './helpers.ts';
import type { Connection } from 'jsforce';
import type { Emulator } from '../emulator/index.ts';

let emulator: Emulator;
let conn: Connection;
let bearer: Record<string, string>;
const DATA = `/services/data/v${API_VERSION}`;
const json = { 'content-type': 'application/json' };

onConnectedEmulator((started) => ({ emulator, conn } = started));
beforeAll(async () => {
	bearer = { authorization: `Bearer ${(await clientCredentialsToken(emulator)).access_token}` };
});
beforeEach(() => emulator.faults.reset());

const leadsNamed = (name: string) => emulator.store.all('Lead').filter((l) => l.LastName === name);
const createLead = (name: string) => rawRequest(emulator.url, 'POST', `${DATA}/sobjects/Lead`, { ...bearer, ...json }, JSON.stringify({ LastName: name, Company: 'Net Co' }));
const statusOf = async (path: string) => (await fetch(`${emulator.url}${path}`, { headers: bearer })).status;

describe('dropped connections', () => {
	it('dropBefore closes the socket without a byte and without processing the request', async () => {
		emulator.faults.inject({ kind: 'dropBefore', method: 'POST', path: '/sobjects/Lead' });
		expect((await createLead('DropBefore').received).length).toBe(0);
		expect(leadsNamed('DropBefore')).toHaveLength(0);
		const next = (await createLead('DropBefore').received).toString();
		expect(next).toMatch(/^HTTP\/1\.1 201 /);
		expect(leadsNamed('DropBefore')).toHaveLength(1);
	});

	it('dropAfter processes the request, then closes the socket without a byte of the answer', async () => {
		emulator.faults.inject({ kind: 'dropAfter', method: 'POST', path: '/sobjects/Lead' });
		expect((await createLead('DropAfter').received).length).toBe(0);
		expect(leadsNamed('DropAfter')).toHaveLength(1);
	});

	it('jsforce sees a network error after dropAfter, and does not replay the POST that created the record', async () => {
		emulator.faults.inject({ kind: 'dropAfter', method: 'POST', path: '/sobjects/Lead' });
		await expect(conn.sobject('Lead').create({ LastName: 'DropJsforce', Company: 'Net Co' })).rejects.toThrow();
		expect(leadsNamed('DropJsforce')).toHaveLength(1);
	});

	it('the HTTP control injects the same faults for a separate process, with pathRegex', async () => {
		const control = await fetch(`${emulator.url}/__emulator/faults`, {
			method: 'POST', headers: json, body: JSON.stringify({ kind: 'dropBefore', method: 'POST', pathRegex: '/sobjects/Lead$' }),
		});
		expect(control.status).toBe(204);
		expect((await createLead('ControlDrop').received).length).toBe(0);
		expect(leadsNamed('ControlDrop')).toHaveLength(0);
	});

	it('the HTTP control refuses a fault it cannot apply, naming the problem', async () => {
		const answer = await fetch(`${emulator.url}/__emulator/faults`, { method: 'POST', headers: json, body: JSON.stringify({ kind: 'error', status: 503 }) });
		expect(answer.status).toBe(400);
		expect(await answer.json()).toEqual({ error: 'An error fault needs a numeric status and an errorCode' });
	});
});

describe('a request that is never answered', () => {
	it('hang keeps the socket open without processing the request; close() returns with it still open', async () => {
		const own = await startEmulator({ port: 0 });
		const token = (await clientCredentialsToken(own)).access_token;
		own.faults.inject({ kind: 'hang', method: 'POST', path: '/sobjects/Lead' });
		const hung = rawRequest(own.url, 'POST', `${DATA}/sobjects/Lead`, { authorization: `Bearer ${token}`, ...json }, JSON.stringify({ LastName: 'Hung', Company: 'Net Co' }));
		let answered = false;
		void hung.received.then(() => (answered = true));
		// A later request on another connection is answered: the server is up, only the hung request waits.
		expect((await fetch(`${own.url}${DATA}/limits`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
		expect(answered).toBe(false);
		await own.close();
		expect((await hung.received).length).toBe(0);
		expect(own.store.all('Lead').filter((l) => l.LastName === 'Hung')).toHaveLength(0);
	});
});

describe('HTML instead of JSON', () => {
	it('html answers 503 with a text/html maintenance page', async () => {
		emulator.faults.inject({ kind: 'html', path: '/limits' });
		const answer = await fetch(`${emulator.url}${DATA}/limits`, { headers: bearer });
		expect(answer.status).toBe(503);
		expect(answer.headers.get('content-type')).toBe('text/html');
		expect(await answer.text()).toMatch(/^<!DOCTYPE html>[\s\S]*Maintenance/);
	});

	it('html takes another status, and jsforce reports an HTML answer as such', async () => {
		emulator.faults.inject({ kind: 'html', status: 502, method: 'POST', path: '/sobjects/Lead' });
		const error = await conn.sobject('Lead').create({ LastName: 'Html', Company: 'Net Co' }).catch((e: unknown) => e);
		expect(error).toMatchObject({ errorCode: 'ERROR_HTTP_502', message: expect.stringContaining('HTTP response contains html content') });
		expect(leadsNamed('Html')).toHaveLength(0);
	});
});

describe('which calls a fault fires on', () => {
	const limits = `${DATA}/limits`;
	const statuses = async (n: number) => {
		const out: number[] = [];
		for (let i = 0; i < n; i++) out.push(await statusOf(limits));
		return out;
	};

	it('fires on the first matching call by default (today\'s error faults)', async () => {
		emulator.faults.inject({ path: '/limits', status: 503, errorCode: 'SERVER_UNAVAILABLE' });
		expect(await statuses(3)).toEqual([503, 200, 200]);
	});

	it('nth delays the first firing, count sets how many follow', async () => {
		emulator.faults.inject({ path: '/limits', status: 503, errorCode: 'SERVER_UNAVAILABLE', nth: 3, count: 2 });
		expect(await statuses(6)).toEqual([200, 200, 503, 503, 200, 200]);
	});

	it('calls that do not match do not count towards nth', async () => {
		emulator.faults.inject({ path: '/limits', status: 503, errorCode: 'SERVER_UNAVAILABLE', nth: 2 });
		expect(await statusOf(limits)).toBe(200);
		expect(await statusOf(`${DATA}/sobjects`)).toBe(200);
		expect(await statusOf(limits)).toBe(503);
	});

	it('share fires on a seeded, repeatable part of the matching calls', async () => {
		const pattern = async (seed: number) => {
			emulator.faults.reset();
			emulator.faults.inject({ path: '/limits', status: 503, errorCode: 'SERVER_UNAVAILABLE', share: 0.3, seed });
			return (await statuses(40)).map((s) => (s === 503 ? 1 : 0));
		};
		const first = await pattern(7);
		expect(await pattern(7)).toEqual(first);
		const fired = first.reduce((a: number, b) => a + b, 0);
		expect(fired).toBeGreaterThan(0);
		expect(fired).toBeLessThan(40);
		expect(await pattern(8)).not.toEqual(first);
	});

	it('share 0 never fires; share 1 with count stops after count firings', async () => {
		emulator.faults.inject({ path: '/limits', status: 503, errorCode: 'SERVER_UNAVAILABLE', share: 0, count: 2 });
		expect(await statuses(3)).toEqual([200, 200, 200]);
		emulator.faults.reset();
		emulator.faults.inject({ path: '/limits', status: 503, errorCode: 'SERVER_UNAVAILABLE', share: 1, count: 2 });
		expect(await statuses(4)).toEqual([503, 503, 200, 200]);
	});
});

describe('keep-alive', () => {
	const keepAliveHeader = async (url: string) => {
		const answer = await fetch(`${url}/services/data`);
		await answer.arrayBuffer();
		return answer.headers.get('keep-alive');
	};

	it('answers with Node\'s default idle timeout of 5 seconds', async () => {
		expect(await keepAliveHeader(emulator.url)).toBe('timeout=5');
	});

	it('keepAliveTimeoutMs shortens it, and the server closes an idle connection', async () => {
		const own = await startEmulator({ port: 0, seed: false, keepAliveTimeoutMs: 1000 });
		try {
			expect(await keepAliveHeader(own.url)).toBe('timeout=1');
			const idle = rawRequest(own.url, 'GET', '/services/data', { connection: 'keep-alive' });
			expect((await idle.received).toString()).toMatch(/^HTTP\/1\.1 200 [\s\S]*\r\nKeep-Alive: timeout=1\r\n/i);
		} finally {
			await own.close();
		}
	});

	it('the CLI takes --keep-alive-timeout, and its HTTP controls inject network faults', async () => {
		const child = spawn(process.execPath, ['test/emulator/cli.ts', '--port', '0', '--keep-alive-timeout', '2000'], { stdio: ['ignore', 'pipe', 'inherit'] });
		try {
			const [line] = (await once(child.stdout, 'data')) as [Buffer];
			const url = /listening on (http:\/\/\S+)/.exec(line.toString())![1];
			expect(await keepAliveHeader(url)).toBe('timeout=2');
			await fetch(`${url}/__emulator/faults`, { method: 'POST', headers: json, body: JSON.stringify({ kind: 'dropBefore', path: '/services/data' }) });
			expect((await rawRequest(url, 'GET', '/services/data').received).length).toBe(0);
			expect((await rawRequest(url, 'GET', '/services/data').received).toString()).toMatch(/^HTTP\/1\.1 200 /);
		} finally {
			child.kill('SIGTERM');
			await once(child, 'exit');
		}
	});
});
