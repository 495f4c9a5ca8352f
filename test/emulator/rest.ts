// The REST API, one module per family of routes under rest/. Order matters where patterns overlap: the fixed
// sobjects/{sobject}/describe, /updated and /deleted come before sobjects/{sobject}/{id}.
import { actionRoutes } from './rest/actions.ts';
import { collectionRoutes } from './rest/collections.ts';
import { compositeRoutes } from './rest/composite.ts';
import { describeRoutes } from './rest/describe.ts';
import { limitRoutes } from './rest/limits.ts';
import { queryRoutes } from './rest/query.ts';
import { searchRoutes } from './rest/search.ts';
import { sobjectRoutes } from './rest/sobjects.ts';
import { updatedDeletedRoutes } from './rest/updated-deleted.ts';
import { versionRoutes } from './rest/versions.ts';
import type { Route } from './http.ts';
import type { Org } from './org.ts';

export function restRoutes(org: Org): Route[] {
	return [
		...versionRoutes(org),
		...limitRoutes(org),
		...describeRoutes(org),
		...updatedDeletedRoutes(org),
		...sobjectRoutes(org),
		...queryRoutes(org),
		...collectionRoutes(org),
		...compositeRoutes(org),
		...searchRoutes(org),
		...actionRoutes(org),
	];
}
