// API versions (GET /services/data) and the resources of one version (GET /services/data/vXX.X).
import { json, route, MAX_VERSION, MIN_VERSION } from '../http.ts';
import type { Route } from '../http.ts';
import type { Org } from '../org.ts';

const RESOURCES = ['tooling', 'metadata', 'eclair', 'folders', 'prechatForms', 'chatter', 'tabs', 'appMenu', 'quickActions', 'queryAll', 'commerce', 'wave', 'iot', 'analytics', 'search', 'identity', 'composite', 'parameterizedSearch', 'fingerprint', 'theme', 'nouns', 'event', 'serverTime', 'recent', 'connect', 'licensing', 'limits', 'process', 'async-queries', 'query', 'match', 'emailConnect', 'compactLayouts', 'knowledgeManagement', 'sobjects', 'actions', 'support', 'jobs'];

export function releaseLabel(version: number): string {
	const offset = version - 62;
	const year = 25 + Math.floor(offset / 3);
	const season = ['Winter', 'Spring', 'Summer'][((offset % 3) + 3) % 3];
	return `${season} '${String(year).padStart(2, '0')}`;
}

export function versionRoutes(org: Org): Route[] {
	return [
		route('GET', '/services/data', 'data', () =>
			json(200, Array.from({ length: MAX_VERSION - MIN_VERSION + 1 }, (_, i) => {
				const v = `${MIN_VERSION + i}.0`;
				return { label: releaseLabel(MIN_VERSION + i), url: `/services/data/v${v}`, version: v };
			})), false),
		route('GET', '/services/data/v{version}', 'data', (req) => {
			const base = `/services/data/v${req.version}`;
			return json(200, Object.fromEntries(RESOURCES.map((n) => [n, n === 'identity' ? org.oauth.identityUrl(req.userId) : `${base}/${n}`])));
		}),
	];
}
