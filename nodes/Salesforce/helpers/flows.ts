// Which flows the node lists and invokes, and their API names: pure, no I/O.
import { buildSelect, containsPattern } from './soql';

/**
 * A flow's API name as its invocable action goes by it: namespace__Name for a packaged flow. Developer names start
 * with a letter and hold letters, digits and single underscores; a namespace prefix letters and digits.
 */
export const FLOW_API_NAME_PATTERN = '^(?:[A-Za-z][A-Za-z0-9]*__)?[A-Za-z](?:[A-Za-z0-9]|_(?!_))*$';

/** The Invoke operation's Flow parameter (a resource locator), which its editor methods read too. */
export const FLOW_PARAMETER = 'flow';

/** A FlowDefinitionView row as the node reads it ("FlowDefinitionView", Object Reference). */
export interface FlowDefinitionRow {
	ApiName: string;
	NamespacePrefix: string | null;
	Label: string;
	Description: string | null;
	IsActive: boolean;
	ActiveVersionId: string | null;
	LatestVersionId: string | null;
	DurableId: string;
	LastModifiedDate: string;
}

const FLOW_FIELDS: Array<keyof FlowDefinitionRow> = [
	'ApiName', 'NamespacePrefix', 'Label', 'Description', 'IsActive', 'ActiveVersionId', 'LatestVersionId', 'DurableId', 'LastModifiedDate',
];

export const flowApiNameOf = (row: Pick<FlowDefinitionRow, 'ApiName' | 'NamespacePrefix'>): string =>
	row.NamespacePrefix ? `${row.NamespacePrefix}__${row.ApiName}` : row.ApiName;

/**
 * The flows the REST API can start: autolaunched flows that no trigger starts ("Start a Flow from REST API",
 * Salesforce Help). Record-triggered, scheduled and platform-event flows are AutoLaunchedFlow with a TriggerType.
 */
const INVOCABLE = "ProcessType = 'AutoLaunchedFlow' AND TriggerType = null";
/** IsActive says whether the latest version is the active one; a flow whose older version is active runs too. */
const HAS_ACTIVE_VERSION = 'ActiveVersionId != null';

/** The SOQL listing invocable flows by label: with an active version unless `includeInactive`, label or API name containing `search`. */
export function flowListQuery(options: { includeInactive?: boolean; search?: string; limit?: number }): string {
	const search = options.search?.trim();
	const conditions = [
		INVOCABLE,
		...(options.includeInactive ? [] : [HAS_ACTIVE_VERSION]),
		...(search ? [`(Label LIKE ${containsPattern(search)} OR ApiName LIKE ${containsPattern(search)})`] : []),
	];
	return buildSelect({
		object: 'FlowDefinitionView',
		fields: FLOW_FIELDS,
		where: conditions.join(' AND '),
		orderBy: [{ field: 'Label' }, { field: 'ApiName' }],
		limit: options.limit,
	});
}
