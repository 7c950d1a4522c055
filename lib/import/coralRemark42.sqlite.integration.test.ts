import { defineCoralRemark42Suite } from './coralRemark42.suite';

defineCoralRemark42Suite('sqlite');
