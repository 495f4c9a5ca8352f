import { configWithoutCloudSupport } from '@n8n/node-cli/eslint';

// @n8n/node-cli's own rule set, in the variant without n8n Cloud support: it leaves out the Cloud-only rules on Node's
// globals (timers, process) and modules (node:http, node:tls, …), which the transport's HTTP layer needs. jsforce is
// bundled into dist at build time (gulpfile.js), so the package has no runtime dependency to exempt.
export default [
	...configWithoutCloudSupport,
	{
		ignores: ['test/**', 'gulpfile.js', 'index.js', 'dist/**', 'node_modules/**', '.demo/**'],
	},
];
