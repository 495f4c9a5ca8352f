import { configWithoutCloudSupport } from '@n8n/node-cli/eslint';

// @n8n/node-cli's own rule set. We take the variant without n8n Cloud support (it leaves out the Cloud-only
// restricted-globals/restricted-imports rules that jsforce's imports trip) and switch off one more rule below.
export default [
	...configWithoutCloudSupport,
	{
		files: ['package.json'],
		rules: {
			// The package targets self-hosted n8n and ships jsforce as its one runtime dependency (README, "jsforce").
			'@n8n/community-nodes/no-runtime-dependencies': 'off',
		},
	},
	{
		ignores: ['test/**', 'gulpfile.js', 'index.js', 'dist/**', 'node_modules/**', '.demo/**'],
	},
];
