// A throwaway certificate authority and a server certificate it signs, for the emulator's TLS listener (made with
// the openssl CLI): a client trusts the CA (NODE_EXTRA_CA_CERTS, curl --cacert) and reaches a real-looking My Domain.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Certificates {
	/** The CA certificate a client trusts, as a file and as PEM. */
	caFile: string;
	caPem: string;
	key: Buffer;
	cert: Buffer;
	/** Deletes the folder holding the files. */
	cleanup(): void;
}

export const OPENSSL_MISSING =
	'the openssl command is missing; the emulator makes its TLS certificates with it (Debian/Ubuntu: apt-get install openssl, which .ci/run does)';

/** True when the openssl CLI runs. */
export function hasOpenssl(): boolean {
	try {
		execFileSync('openssl', ['version'], { stdio: 'ignore' });
		return true;
	} catch {
		return false;
	}
}

/** Runs the openssl CLI in a folder; where it is missing, the error says what to install. */
export function openssl(cwd: string, ...args: string[]): void {
	try {
		execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
	} catch (error) {
		throw (error as NodeJS.ErrnoException).code === 'ENOENT' ? new Error(OPENSSL_MISSING) : error;
	}
}

/** A CA and a server key/certificate for the DNS names (wildcards allowed) and 127.0.0.1, in a fresh temp folder. */
export function makeCertificates(dnsNames: string[]): Certificates {
	const dir = mkdtempSync(join(tmpdir(), 'sf-emulator-tls-'));
	const file = (name: string) => join(dir, name);
	openssl(dir, 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('ca.key'), '-out', file('ca.pem'), '-days', '30', '-subj', '/CN=Salesforce emulator test CA');
	openssl(dir, 'req', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('server.key'), '-out', file('server.csr'), '-subj', `/CN=${dnsNames[0] ?? '127.0.0.1'}`);
	writeFileSync(
		file('ext.cnf'),
		`basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n` +
			`subjectAltName=${[...dnsNames.map((h) => `DNS:${h}`), 'IP:127.0.0.1'].join(',')}\n`,
	);
	openssl(dir, 'x509', '-req', '-in', file('server.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial', '-out', file('server.pem'), '-days', '30', '-extfile', file('ext.cnf'));
	return {
		caFile: file('ca.pem'),
		caPem: readFileSync(file('ca.pem'), 'utf8'),
		key: readFileSync(file('server.key')),
		cert: readFileSync(file('server.pem')),
		cleanup: () => rmSync(dir, { recursive: true, force: true }),
	};
}
