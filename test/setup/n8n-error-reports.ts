// n8n-core hands every error a node throws to its ErrorReporter (n8n sends it to Sentry where configured, else logs
// it with its stack) besides returning it in the run data the tests assert on. Tests that expect a node to fail
// would print those stacks as if they failed: each test's reports are kept and printed only if the test fails.
import { createRequire } from 'node:module';

import { ErrorReporter } from 'n8n-core';
import { beforeEach } from 'vitest';

// n8n-core's own @n8n/di (its version differs from the top-level one): the container WorkflowExecute reports through.
const { Container } = createRequire(import.meta.resolve('n8n-core'))('@n8n/di') as typeof import('@n8n/di');

let reports: string[] = [];
// `report` is the hook n8n's own start replaces (with Sentry's); private in its types.
(Container.get(ErrorReporter) as unknown as { report: (error: Error | string) => void }).report = (error) => {
	reports.push(error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : error);
};

beforeEach(({ onTestFailed }) => {
	reports = [];
	onTestFailed(() => {
		if (reports.length > 0) console.error(`n8n-core's error reports in this test:\n${reports.join('\n\n')}`);
	});
});
