import { defineStoreSuite } from './store.suite';

defineStoreSuite('sqlite');
