import { defineStoreSuite } from './store.suite';

defineStoreSuite('postgres');
