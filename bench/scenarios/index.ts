import type { Scenario } from '../scenario.js';
import { authTax } from './auth-tax.js';
import { cacheMiss } from './cache-miss.js';
import { coldStartScenario } from './cold-start.js';
import { idle } from './idle.js';
import { machinery } from './machinery.js';
import { peer } from './peer.js';
import { rss } from './rss.js';
import { scale } from './scale.js';
import { signinRate } from './signin-rate.js';
import { storm } from './storm.js';
import { streams } from './streams.js';
import { writes } from './writes.js';

/** Every scenario, in the order of BENCHMARKS.md. */
export const SCENARIOS: readonly Scenario[] = [
  authTax,
  peer,
  cacheMiss,
  storm,
  signinRate,
  scale,
  writes,
  idle,
  coldStartScenario,
  rss,
  streams,
  machinery,
];
