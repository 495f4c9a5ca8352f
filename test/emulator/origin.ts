// The origin a client used for a request, from which every absolute URL the emulator answers with is built
// (instance_url, identity id and urls, userinfo custom_domain).
import type { IncomingHttpHeaders } from 'node:http';

const HOST = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::(\d{1,5}))?$/;
const DEFAULT_PORT = { http: '80', https: '443' } as const;

/**
 * `<proto>://<host>` as the client addressed the emulator: the Host header, or the X-Forwarded-Host and
 * X-Forwarded-Proto a TLS terminator in front of it sets (the emulator trusts them, as a Salesforce instance trusts
 * its own front end). The protocol is otherwise https on the TLS listener, http on the plain one; a default port
 * is dropped; a header that is not a host[:port] is ignored. Undefined when no usable host was sent (the
 * listener's own address then applies).
 */
export function requestOrigin(headers: IncomingHttpHeaders, encrypted: boolean): string | undefined {
	const forwardedProto = first(headers['x-forwarded-proto'])?.toLowerCase();
	const proto = forwardedProto === 'http' || forwardedProto === 'https' ? forwardedProto : encrypted ? 'https' : 'http';
	for (const host of [first(headers['x-forwarded-host']), first(headers.host)]) {
		const match = host ? HOST.exec(host.toLowerCase()) : null;
		if (!match) continue;
		const port = match[1];
		return `${proto}://${port === DEFAULT_PORT[proto] ? match[0].slice(0, -port.length - 1) : match[0]}`;
	}
	return undefined;
}

/** The first value of a header a proxy chain may have sent as a comma-separated list or repeated. */
function first(value: string | string[] | undefined): string | undefined {
	const text = Array.isArray(value) ? value[0] : value;
	return text?.split(',')[0].trim() || undefined;
}
