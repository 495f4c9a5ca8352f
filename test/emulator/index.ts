// Public API of the local Salesforce emulator: startEmulator() in-process, or `npm run emulator` (cli.ts).
import { createControls } from './control.ts';
import { Org } from './org.ts';
import { createServer as createHttpsServer } from 'node:https';
import { RequestLog, SERVER_OPTIONS, createEmulatorServer, createRequestListener } from './server.ts';
import type { AddressInfo } from 'node:net';
import type { Controls } from './control.ts';

export type { ConnectedApp } from './oauth.ts';
export type { FieldMeta } from './schema.ts';
export type { RequestCounts } from './server.ts';
export type { BulkJobFailure, ErrorFault, FaultSpec, HtmlFault, NetworkFault } from './faults.ts';
export type { ChangeEventData, ChangeEventHeader, GapFault, RetainedEvent } from './cdc.ts';
export type { StreamingTimeouts } from './streaming.ts';
export { ALL_CHANGE_EVENTS_CHANNEL, DEFAULT_CDC_SELECTION, RETENTION_MS, changeEventChannel } from './cdc.ts';
export { CONNECT_TIMEOUT_MS, RECONNECT_TIMEOUT_MS } from './streaming.ts';
export { DEFAULT_APP_KEY } from './oauth.ts';
export { makeCertificates } from './certificates.ts';
export type { Certificates } from './certificates.ts';
export const DEFAULT_APP_SECRET = 'emulator-consumer-secret';
export const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 5000;

export interface EmulatorOptions {
	/** Default 0 (a free port); the host is always 127.0.0.1. */
	port?: number;
	/** Default true: users, accounts, leads, contacts, opportunities, campaigns. */
	seed?: boolean;
	/** Added to every request. */
	latencyMs?: number;
	/** Start the controllable clock at this instant (default: real time). */
	clock?: Date | string;
	/**
	 * Optional second listener on 127.0.0.1 speaking HTTPS with this key and certificate (PEM, see makeCertificates).
	 * A request over it is answered as the https origin of its Host header (instance_url =
	 * https://acme.my.salesforce.com), so a client reaching it through a proxy or a hosts entry sees a real-looking
	 * My Domain. Default port: a free one. On either listener, X-Forwarded-Host / X-Forwarded-Proto from a TLS
	 * terminator in front of the emulator name the origin instead (see requestOrigin).
	 */
	tls?: { key: string | Buffer; cert: string | Buffer; port?: number };
	/** How long an idle keep-alive connection stays open (default 5000 ms, Node's default, which clients meet in the wild). */
	keepAliveTimeoutMs?: number;
}

export interface Emulator extends Controls {
	/** http://127.0.0.1:PORT — the "My Domain"; the instance_url the token endpoint returns to a client using it. */
	url: string;
	/** The TLS listener's port on 127.0.0.1, when started with `tls`. */
	tlsPort?: number;
	close(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
	const org = new Org({ seed: options.seed ?? true, clock: options.clock });
	const log = new RequestLog();
	org.faults.latencyMs = options.latencyMs ?? 0;
	const server = createEmulatorServer(org, log);
	const keepAliveTimeout = options.keepAliveTimeoutMs ?? DEFAULT_KEEP_ALIVE_TIMEOUT_MS;
	server.keepAliveTimeout = keepAliveTimeout;
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, '127.0.0.1', resolve);
	});
	const { port } = server.address() as AddressInfo;
	org.baseUrl = `http://127.0.0.1:${port}`;
	const servers: Array<{ closeAllConnections(): void; close(cb: (error?: Error) => void): void }> = [server];
	let tlsPort: number | undefined;
	if (options.tls) {
		const tlsServer = createHttpsServer({ ...SERVER_OPTIONS, key: options.tls.key, cert: options.tls.cert }, createRequestListener(org, log));
		tlsServer.keepAliveTimeout = keepAliveTimeout;
		await new Promise<void>((resolve, reject) => {
			tlsServer.once('error', reject);
			tlsServer.listen(options.tls!.port ?? 0, '127.0.0.1', resolve);
		});
		tlsPort = (tlsServer.address() as AddressInfo).port;
		servers.push(tlsServer);
	}
	return {
		url: org.baseUrl,
		...(tlsPort === undefined ? {} : { tlsPort }),
		close: () => {
			org.close();
			return Promise.all(
				servers.map(
					(s) =>
						new Promise<void>((resolve, reject) => {
							s.closeAllConnections();
							s.close((error) => (error ? reject(error) : resolve()));
						}),
				),
			).then(() => undefined);
		},
		...createControls(org, log),
	};
}
