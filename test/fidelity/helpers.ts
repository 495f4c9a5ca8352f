// Shared set-up for the fidelity suite: an in-process emulator and jsforce connections to it.
import { Connection } from 'jsforce';
import { DEFAULT_APP_KEY, DEFAULT_APP_SECRET } from '../emulator/index.ts';
import type { Emulator } from '../emulator/index.ts';

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
