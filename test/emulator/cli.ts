// `npm run emulator -- --port 8787 [--latency 50] [--no-seed] [--clock 2026-11-22T10:00:00Z] [--keep-alive-timeout 5000]`
import { parseArgs } from 'node:util';
import { startEmulator } from './index.ts';

const { values } = parseArgs({
	options: {
		port: { type: 'string', default: '8787' },
		latency: { type: 'string', default: '0' },
		clock: { type: 'string' },
		'keep-alive-timeout': { type: 'string' },
		'no-seed': { type: 'boolean', default: false },
	},
});

const emulator = await startEmulator({
	port: Number(values.port),
	latencyMs: Number(values.latency),
	seed: !values['no-seed'],
	clock: values.clock,
	...(values['keep-alive-timeout'] === undefined ? {} : { keepAliveTimeoutMs: Number(values['keep-alive-timeout']) }),
});
console.log(`Salesforce emulator listening on ${emulator.url}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.once(signal, () => {
		void emulator.close().then(() => process.exit(0));
	});
}
