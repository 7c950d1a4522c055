import { defineSourceRulesSuite } from './sourceRules.suite';

defineSourceRulesSuite('postgres');
