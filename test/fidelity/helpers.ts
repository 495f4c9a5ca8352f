// Shared set-up for the fidelity suite: an in-process emulator, jsforce connections to it, raw HTTP exchanges
// and a TLS certificate.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from 'jsforce';
import { afterAll, beforeAll } from 'vitest';
import { DEFAULT_APP_KEY, DEFAULT_APP_SECRET, startEmulator } from '../emulator/index.ts';
import type { Emulator } from '../emulator/index.ts';
import { openssl } from '../emulator/certificates.ts';

export const API_VERSION = '64.0';

export async function tokenRequest(emulator: Emulator, form: Record<string, string>, headers: Record<string, string> = {}) {
	const response = await fetch(`${emulator.url}/services/oauth2/token`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
		body: new URLSearchParams(form),
	});
	return { status: response.status, body: (await response.json()) as Record<string, string> };
}

export async function clientCredentialsToken(emulator: Emulator): Promise<Record<string, string>> {
	const { status, body } = await tokenRequest(emulator, {
		grant_type: 'client_credentials', client_id: DEFAULT_APP_KEY, client_secret: DEFAULT_APP_SECRET,
	});
	if (status !== 200) throw new Error(`token request failed: ${JSON.stringify(body)}`);
	return body;
}

/** A jsforce connection that re-grants a client-credentials token when the session expires, counting refreshes. */
export async function connect(emulator: Emulator): Promise<{ conn: Connection; refreshes: () => number }> {
	const token = await clientCredentialsToken(emulator);
	let refreshes = 0;
	const conn = new Connection({
		instanceUrl: token.instance_url,
		accessToken: token.access_token,
		version: API_VERSION,
		refreshFn: (_conn, callback) => {
			refreshes++;
			clientCredentialsToken(emulator).then((t) => callback(null, t.access_token), (error: Error) => callback(error));
		},
	});
	return { conn, refreshes: () => refreshes };
}

/** Starts an emulator and a jsforce connection to it before the file's tests (handed to `use`), closes it after them. */
export function onConnectedEmulator(use: (started: { emulator: Emulator; conn: Connection }) => void): void {
	let emulator: Emulator | undefined;
	beforeAll(async () => {
		emulator = await startEmulator({ port: 0 });
		use({ emulator, conn: (await connect(emulator)).conn });
	});
	afterAll(() => emulator?.close());
}

export interface RawExchange {
	/** Every byte the server sent on the connection, until it closed it. */
	received: Promise<Buffer>;
	/** Ends the connection from the client side. */
	destroy(): void;
}

/**
 * One request written by hand on a fresh TCP connection, as a raw HTTP/1.1 client sends it: what comes back is
 * exactly what the server wrote before closing (nothing at all when it dropped the connection).
 */
export function rawRequest(url: string, method: string, path: string, headers: Record<string, string> = {}, body = ''): RawExchange {
	const { hostname, port } = new URL(url);
	const socket = netConnect(Number(port), hostname);
	const head = { host: `${hostname}:${port}`, connection: 'close', 'content-length': String(Buffer.byteLength(body)), ...headers };
	socket.write(`${method} ${path} HTTP/1.1\r\n${Object.entries(head).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n${body}`);
	const chunks: Buffer[] = [];
	socket.on('data', (chunk: Buffer) => chunks.push(chunk));
	const received = new Promise<Buffer>((resolve) => {
		socket.on('error', () => undefined);
		socket.on('close', () => resolve(Buffer.concat(chunks)));
	});
	return { received, destroy: () => socket.destroy() };
}

/** A throwaway self-signed key and certificate for 127.0.0.1 (openssl CLI), for the emulator's TLS listener. */
export function selfSignedCertificate(): { key: Buffer; cert: Buffer } {
	const dir = mkdtempSync(join(tmpdir(), 'sf-fidelity-tls-'));
	try {
		openssl(
			dir, 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
			'-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
		);
		return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}
