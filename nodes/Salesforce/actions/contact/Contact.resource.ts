import { resourceOperations } from '../record';
import * as addToCampaign from '../record/addToCampaign.operation';
import { operationParameter } from '../toolkit/operations';

export const operations = resourceOperations({ addToCampaign });

export const operationProperty = operationParameter('contact', operations);
