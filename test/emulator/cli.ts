// `npm run emulator -- --port 8787 [--latency 50] [--no-seed] [--clock 2026-11-22T10:00:00Z] [--keep-alive-timeout 5000]
//   [--tls [--tls-port 8443] [--domain acme.my.salesforce.com]]`
import { parseArgs } from 'node:util';
import { makeCertificates, startEmulator } from './index.ts';

const DOMAIN = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/i;

const { values } = parseArgs({
	options: {
		port: { type: 'string', default: '8787' },
		latency: { type: 'string', default: '0' },
		clock: { type: 'string' },
		'keep-alive-timeout': { type: 'string' },
		'no-seed': { type: 'boolean', default: false },
		tls: { type: 'boolean', default: false },
		'tls-port': { type: 'string', default: '8443' },
		domain: { type: 'string', default: 'emulator.my.salesforce.com' },
	},
});

if (!DOMAIN.test(values.domain)) {
	console.error(`--domain: '${values.domain}' is not a host name; use a My Domain such as acme.my.salesforce.com`);
	process.exit(2);
}
const certificates = values.tls ? makeCertificates([values.domain, 'localhost']) : undefined;
const emulator = await startEmulator({
	port: Number(values.port),
	latencyMs: Number(values.latency),
	seed: !values['no-seed'],
	clock: values.clock,
	...(values['keep-alive-timeout'] === undefined ? {} : { keepAliveTimeoutMs: Number(values['keep-alive-timeout']) }),
	...(certificates ? { tls: { key: certificates.key, cert: certificates.cert, port: Number(values['tls-port']) } } : {}),
});
console.log(`Salesforce emulator listening on ${emulator.url}`);
if (certificates) {
	const myDomain = `${values.domain}:${emulator.tlsPort}`;
	console.log(`TLS listening on 127.0.0.1:${emulator.tlsPort}, answering as the origin each client uses, e.g. https://${myDomain}`);
	console.log(`Trust this CA (NODE_EXTRA_CA_CERTS=${certificates.caFile}) and resolve ${values.domain} to 127.0.0.1, e.g.`);
	console.log(`  curl --cacert ${certificates.caFile} --resolve ${myDomain}:127.0.0.1 https://${myDomain}/services/data`);
	console.log(certificates.caPem.trimEnd());
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.once(signal, () => {
		void emulator.close().then(() => {
			certificates?.cleanup();
			process.exit(0);
		});
	});
}
