import { defineSourceRulesSuite } from './sourceRules.suite';

defineSourceRulesSuite('sqlite');
