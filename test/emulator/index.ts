// Public API of the local Salesforce emulator: startEmulator() in-process, or `npm run emulator` (cli.ts).
import { createControls } from './control.ts';
import { Org } from './org.ts';
import { RequestLog, createEmulatorServer } from './server.ts';
import type { AddressInfo } from 'node:net';
import type { Controls } from './control.ts';

export type { ConnectedApp } from './oauth.ts';
export type { FieldMeta } from './schema.ts';
export type { RequestCounts } from './server.ts';
export type { FaultSpec } from './faults.ts';
export { DEFAULT_APP_KEY } from './oauth.ts';
export const DEFAULT_APP_SECRET = 'emulator-consumer-secret';

export interface EmulatorOptions {
	/** Default 0 (a free port); the host is always 127.0.0.1. */
	port?: number;
	/** Default true: users, accounts, leads, contacts, opportunities, campaigns. */
	seed?: boolean;
	/** Added to every request. */
	latencyMs?: number;
	/** Start the controllable clock at this instant (default: real time). */
	clock?: Date | string;
}

export interface Emulator extends Controls {
	/** http://127.0.0.1:PORT — both the "My Domain" and the instance_url the token endpoint returns. */
	url: string;
	close(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
	const org = new Org({ seed: options.seed ?? true, clock: options.clock });
	const log = new RequestLog();
	org.faults.latencyMs = options.latencyMs ?? 0;
	const server = createEmulatorServer(org, log);
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, '127.0.0.1', resolve);
	});
	const { port } = server.address() as AddressInfo;
	org.baseUrl = `http://127.0.0.1:${port}`;
	return {
		url: org.baseUrl,
		close: () =>
			new Promise<void>((resolve, reject) => {
				server.closeAllConnections();
				server.close((error) => (error ? reject(error) : resolve()));
			}),
		...createControls(org, log),
	};
}
