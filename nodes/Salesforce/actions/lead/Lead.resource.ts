import { resourceOperations } from '../record';
import * as addToCampaign from '../record/addToCampaign.operation';
import { operationParameter } from '../toolkit/operations';
import * as convert from './convert.operation';

export const operations = resourceOperations({ addToCampaign, convert });

export const operationProperty = operationParameter('lead', operations);
