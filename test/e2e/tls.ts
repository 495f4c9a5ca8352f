// Real-looking Salesforce domains without leaving loopback: a throwaway CA and a server certificate for
// *.my.salesforce.com, *.sandbox.my.salesforce.com, login.salesforce.com and test.salesforce.com (made with the
// openssl CLI at test time), and a loopback HTTP CONNECT proxy that tunnels any host:443 to the emulator's TLS
// listener and refuses everything else. n8n started with HTTPS_PROXY pointing at it and NODE_EXTRA_CA_CERTS at the
// CA then talks to "https://acme.my.salesforce.com" and reaches the emulator.
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { makeCertificates as makeEmulatorCertificates } from '../emulator/certificates.ts';

export { OPENSSL_MISSING, hasOpenssl } from '../emulator/certificates.ts';

export const CERT_HOSTS = ['*.my.salesforce.com', '*.sandbox.my.salesforce.com', 'login.salesforce.com', 'test.salesforce.com'];

/** A CA (ca.pem) and a server key/cert signed by it for CERT_HOSTS, in a fresh temp folder. */
export function makeCertificates() {
	return makeEmulatorCertificates(CERT_HOSTS);
}

export interface ConnectProxy {
	url: string;
	/** Every CONNECT target asked for, in order (`host:port`), tunnelled or refused. */
	tunnels: string[];
	refused: string[];
	close(): Promise<void>;
}

/** A CONNECT proxy on 127.0.0.1: `<any host>:443` is tunnelled to 127.0.0.1:<tlsPort>; anything else is closed. */
export async function startConnectProxy(tlsPort: number): Promise<ConnectProxy> {
	const tunnels: string[] = [];
	const refused: string[] = [];
	const sockets = new Set<Socket>();
	const server: Server = createServer((_req, res) => {
		// Plain-HTTP proxying (absolute-form requests) is not offered: nothing here should travel unencrypted.
		refused.push(`${_req.method} ${_req.url}`);
		res.writeHead(403).end();
	});
	server.on('connect', (req, client: Socket, head: Buffer) => {
		sockets.add(client);
		client.on('close', () => sockets.delete(client));
		const target = String(req.url ?? '');
		if (!/^[a-z0-9.-]+:443$/i.test(target)) {
			refused.push(target);
			client.destroy();
			return;
		}
		tunnels.push(target);
		const upstream = connect(tlsPort, '127.0.0.1', () => {
			client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
			if (head.length) upstream.write(head);
			upstream.pipe(client);
			client.pipe(upstream);
		});
		sockets.add(upstream);
		upstream.on('close', () => sockets.delete(upstream));
		upstream.on('error', () => client.destroy());
		client.on('error', () => upstream.destroy());
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		tunnels,
		refused,
		close: () =>
			new Promise<void>((resolve) => {
				for (const socket of sockets) socket.destroy();
				server.close(() => resolve());
			}),
	};
}
