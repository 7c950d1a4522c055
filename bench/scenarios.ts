/**
 * Every benchmark scenario, in the order `npm run bench` runs them. A new
 * scenario is one file (bench/<name>/run.ts declaring it with defineScenario)
 * and one entry here; its npm script is `tsx bench/<name>/run.ts`. The decision
 * benches (redisClients, startup) chose once and have no target to keep meeting:
 * they have their npm script and CI smoke, and no entry here.
 */
import type { AnyScenario } from './common/harness/scenario';
import { fanoutScenario } from './fanout/run';
import { hugeScenario } from './hugeThread/run';
import { lockScenario } from './lock/run';
import { memoryScenario } from './memory/run';
import { notificationsScenario } from './notifications/run';
import { postingScenario } from './posting/run';
import { reconnectScenario } from './reconnect/run';
import { pageCacheScenario } from './pageCache/run';
import { renderScenario } from './render/run';
import { signinFloodScenario } from './signinFlood/run';
import { countsScenario } from './counts/run';

/** A scenario and the arguments `npm run bench` always gives it (they replace the user's flag of that name). */
export const SCENARIOS: { scenario: AnyScenario; fixedArgs: string[] }[] = [
  { scenario: fanoutScenario, fixedArgs: ['--nodes=2'] },
  { scenario: fanoutScenario, fixedArgs: ['--nodes=1'] },
  { scenario: lockScenario, fixedArgs: [] },
  { scenario: memoryScenario, fixedArgs: [] },
  { scenario: reconnectScenario, fixedArgs: [] },
  { scenario: postingScenario, fixedArgs: [] },
  { scenario: renderScenario, fixedArgs: [] },
  { scenario: pageCacheScenario, fixedArgs: [] },
  { scenario: hugeScenario, fixedArgs: [] },
  { scenario: signinFloodScenario, fixedArgs: [] },
  { scenario: notificationsScenario, fixedArgs: [] },
  { scenario: countsScenario, fixedArgs: [] },
];
