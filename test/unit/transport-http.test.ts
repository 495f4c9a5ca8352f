// The transport's own answers for requests that got none: typed NoAnswerErrors, on Node's HTTP client and on
// jsforce's fetch stack (used when a proxy is configured).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { NoAnswerError } from '../../nodes/Salesforce/transport';
import { SalesforceTransport } from '../../nodes/Salesforce/transport/http';
import { retryPolicy } from '../../nodes/Salesforce/transport/retry';

let server: Server;
let url: string;
let requests = 0;

beforeAll(async () => {
	retryPolicy.baseDelayMs = 1;
	// Answers /ok, never answers /hang, and drops /drop after reading the request.
	server = createServer((req, res) => {
		requests++;
		if (req.url === '/ok') res.end('{"ok":true}');
		else if (req.url === '/drop') req.socket.destroy();
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
	server.closeAllConnections();
	await new Promise((resolve) => server.close(resolve));
});
afterEach(() => {
	delete process.env.HTTP_PROXY;
	requests = 0;
});

const send = (method: 'GET' | 'POST', path: string, base = url) =>
	new SalesforceTransport({ timeoutSeconds: 1 }).httpRequest({ method, url: `${base}${path}`, ...(method === 'POST' ? { body: '{}' } : {}) });

async function failure(promise: Promise<unknown>): Promise<NoAnswerError> {
	const error = await promise.then(
		() => undefined,
		(reason: unknown) => reason,
	);
	expect(error).toBeInstanceOf(NoAnswerError);
	return error as NoAnswerError;
}

describe('SalesforceTransport', () => {
	it('answers as jsforce expects', async () => {
		const response = await send('GET', '/ok');
		expect(response).toMatchObject({ statusCode: 200, body: '{"ok":true}' });
	});

	it('gives up a hung request after the timeout: it may have arrived', async () => {
		const error = await failure(send('POST', '/hang'));
		expect(error).toMatchObject({ reason: 'timeout', method: 'POST', mayHaveArrived: true, message: 'Salesforce did not answer within 1 s (option Timeout)' });
		expect(requests).toBe(1);
	});

	it('never sends a write again after a dropped connection, but replays a read', async () => {
		const write = await failure(send('POST', '/drop'));
		expect(write).toMatchObject({ reason: 'connectionLost', mayHaveArrived: true, networkCode: 'ECONNRESET' });
		expect(requests).toBe(1);
		requests = 0;
		const read = await failure(send('GET', '/drop'));
		expect(read.reason).toBe('connectionLost');
		expect(requests).toBe(4);
	});

	it('a refused connection never reached Salesforce', async () => {
		const closed = createServer();
		await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
		const base = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
		await new Promise((resolve) => closed.close(resolve));
		const error = await failure(send('POST', '/ok', base));
		expect(error).toMatchObject({ reason: 'notSent', mayHaveArrived: false });
	});

	it('through jsforce’s fetch stack (a proxy is configured) a hung request is the same timeout', async () => {
		process.env.HTTP_PROXY = 'http://127.0.0.1:9'; // read by the transport; jsforce read its proxy when it loaded
		const error = await failure(send('POST', '/hang'));
		expect(error).toMatchObject({ reason: 'timeout', mayHaveArrived: true });
	});
});
